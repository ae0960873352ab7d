using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NewsletterService.Accounts;
using NewsletterService.Articles;
using NewsletterService.Audit;
using NewsletterService.Bounces;
using NewsletterService.Campaigns;
using NewsletterService.Delivery;
using NewsletterService.Feeds;
using NewsletterService.Infrastructure;
using NewsletterService.Security;
using NewsletterService.Subscriptions;
using NewsletterService.Tracking;

namespace NewsletterService.Data;

/// <summary>
/// The service's tables, with ASP.NET Core Identity's (accounts, roles, their tokens) under names of their own.
/// </summary>
public class NewsletterDb(DbContextOptions options) : IdentityDbContext<Account>(options), IDataProtectionKeyContext
{
    public DbSet<Article> Articles => Set<Article>();
    public DbSet<Subscriber> Subscribers => Set<Subscriber>();
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<DeliveryRecord> Deliveries => Set<DeliveryRecord>();
    public DbSet<AppSetting> Settings => Set<AppSetting>();
    public DbSet<Feed> Feeds => Set<Feed>();
    public DbSet<MailingList> Lists => Set<MailingList>();
    public DbSet<ListMembership> ListMembers => Set<ListMembership>();
    public DbSet<CampaignList> CampaignLists => Set<CampaignList>();
    public DbSet<Suppression> Suppressions => Set<Suppression>();
    public DbSet<LoginThrottle> LoginThrottles => Set<LoginThrottle>();
    public DbSet<AdminSession> AdminSessions => Set<AdminSession>();

    /// <summary>The ASP.NET Core Data Protection key ring (login cookies, antiforgery tokens), shared by every process.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<SendRateBucket> SendRateBuckets => Set<SendRateBucket>();
    public DbSet<IdempotencyRecord> IdempotencyKeys => Set<IdempotencyRecord>();
    public DbSet<BounceEvent> BounceEvents => Set<BounceEvent>();
    public DbSet<ProcessedMessage> ProcessedMessages => Set<ProcessedMessage>();
    public DbSet<MailboxState> MailboxStates => Set<MailboxState>();
    public DbSet<ReaderActivity> Activities => Set<ReaderActivity>();
    public DbSet<TrackedLink> TrackedLinks => Set<TrackedLink>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<AccountApiKey> ApiKeys => Set<AccountApiKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        // Every timestamp is UTC; SQLite hands them back unspecified, PostgreSQL insists on UTC.
        conventions.Properties<DateTime>().HaveConversion<UtcConverter>();
        conventions.Properties<DateTime?>().HaveConversion<UtcConverter>();
        conventions.Properties<SubscriberStatus>().HaveConversion<string>().HaveMaxLength(16);
        conventions.Properties<Cadence>().HaveConversion<string>().HaveMaxLength(16);
        conventions.Properties<Cadence?>().HaveConversion<string>().HaveMaxLength(16);
        conventions.Properties<CampaignStatus>().HaveConversion<string>().HaveMaxLength(16);
        conventions.Properties<CampaignKind>().HaveConversion<string>().HaveMaxLength(16);
        conventions.Properties<DeliveryStatus>().HaveConversion<string>().HaveMaxLength(16);
        conventions.Properties<BounceKind>().HaveConversion<string>().HaveMaxLength(16);
        conventions.Properties<BounceSource>().HaveConversion<string>().HaveMaxLength(16);
        conventions.Properties<MailKind>().HaveConversion<string>().HaveMaxLength(16);
        conventions.Properties<ActivityKind>().HaveConversion<string>().HaveMaxLength(16);
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        OnAccountsCreating(model);
        model.Entity<Article>(a =>
        {
            a.Property(x => x.Title).HasMaxLength(300);
            a.Property(x => x.Byline).HasMaxLength(200);
            a.Property(x => x.ImageCredit).HasMaxLength(200);
            a.Property(x => x.Subject).HasMaxLength(ArticleValidation.MaxSubject);
            a.Property(x => x.Preheader).HasMaxLength(ArticleValidation.MaxPreheader);
            a.HasIndex(x => x.PublishedAt);
            a.Property(x => x.SourceUrl).HasMaxLength(2000);
            a.Property(x => x.SourceKey).HasMaxLength(600);
            a.HasIndex(x => x.SourceKey).IsUnique();
            a.Ignore(x => x.AvailableAt);
            a.Ignore(x => x.IsPublished);
            a.HasMany(x => x.Lists).WithOne().HasForeignKey(l => l.ArticleId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<Feed>(f =>
        {
            f.Property(x => x.Url).HasMaxLength(2000);
            f.HasIndex(x => x.Url).IsUnique();
            f.Property(x => x.Title).HasMaxLength(300);
            f.Property(x => x.Lists).HasMaxLength(1000);
            f.Property(x => x.LastError).HasMaxLength(1000);
        });
        model.Entity<Subscriber>(s =>
        {
            s.Property(x => x.Email).HasMaxLength(320);
            s.Property(x => x.EmailKey).HasMaxLength(320);
            s.Property(x => x.Name).HasMaxLength(100);
            s.HasIndex(x => x.EmailKey).IsUnique();
            s.HasIndex(x => new { x.Status, x.Cadence });
            s.HasIndex(x => x.DigestCampaignId);
            s.HasMany(x => x.Memberships).WithOne().HasForeignKey(m => m.SubscriberId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<MailingList>(l =>
        {
            l.ToTable("Lists");
            l.Property(x => x.Slug).HasMaxLength(50);
            l.Property(x => x.Name).HasMaxLength(MailingList.MaxNameLength);
            l.HasIndex(x => x.Slug).IsUnique();
        });
        model.Entity<ListMembership>(m =>
        {
            m.ToTable("ListMembers");
            m.HasKey(x => new { x.ListId, x.SubscriberId });
            m.HasIndex(x => x.SubscriberId);
            m.HasOne(x => x.List).WithMany().HasForeignKey(x => x.ListId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<ArticleList>(l =>
        {
            l.ToTable("ArticleLists");
            l.HasKey(x => new { x.ArticleId, x.ListId });
            l.HasOne<MailingList>().WithMany().HasForeignKey(x => x.ListId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<CampaignList>(c =>
        {
            c.HasKey(x => new { x.CampaignId, x.ListId });
            c.HasOne<Campaign>().WithMany().HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Cascade);
            c.HasOne<MailingList>().WithMany().HasForeignKey(x => x.ListId).OnDelete(DeleteBehavior.Restrict);
        });
        model.Entity<Suppression>(s =>
        {
            s.HasKey(x => x.EmailHash);
            s.Property(x => x.EmailHash).HasMaxLength(64);
        });
        model.Entity<Campaign>(c =>
        {
            c.HasIndex(x => x.Status);
            c.Property(x => x.PausedReason).HasMaxLength(1000);
            c.Property(x => x.ScheduledJobId).HasMaxLength(100);
            c.Property(x => x.SubmittedById).HasMaxLength(450);
            c.Property(x => x.SubmittedBy).HasMaxLength(256);
            c.Property(x => x.ReviewedBy).HasMaxLength(256);
            c.Property(x => x.ReviewComment).HasMaxLength(Campaign.MaxComment);
        });
        model.Entity<DeliveryRecord>(d =>
        {
            d.ToTable("Deliveries");
            d.HasIndex(x => new { x.CampaignId, x.SubscriberId }).IsUnique();
            d.HasIndex(x => new { x.CampaignId, x.Status, x.Id });
            d.HasIndex(x => x.SubscriberId); // a reader's mail over all campaigns: preferences page, erasure, bounces without VERP
            d.Property(x => x.ClaimToken).HasMaxLength(40);
            d.Property(x => x.Error).HasMaxLength(1000);
        });
        model.Entity<LoginThrottle>(t =>
        {
            t.HasKey(x => x.Key);
            t.Property(x => x.Key).HasMaxLength(64);
            t.Property(x => x.Version).IsConcurrencyToken();
            t.HasIndex(x => x.UpdatedAt);
        });
        model.Entity<AdminSession>(s =>
        {
            s.HasKey(x => x.Id);
            s.Property(x => x.Id).HasMaxLength(64);
            s.Property(x => x.UserId).HasMaxLength(64);
            s.HasOne<Account>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            s.HasIndex(x => x.LastSeenAt);
        });
        model.Entity<AppSetting>(s =>
        {
            s.HasKey(x => x.Key);
            s.Property(x => x.Key).HasMaxLength(100);
        });
        model.Entity<SendRateBucket>(b =>
        {
            b.HasKey(x => new { x.Scope, x.Slot });
            b.Property(x => x.Scope).HasMaxLength(300);
        });
        model.Entity<IdempotencyRecord>(k =>
        {
            k.ToTable("IdempotencyKeys");
            k.HasKey(x => new { x.Scope, x.Key });
            k.Property(x => x.Scope).HasMaxLength(400);
            k.Property(x => x.Key).HasMaxLength(IdempotencyStore.MaxKeyLength);
            k.Property(x => x.RequestHash).HasMaxLength(64);
            k.Property(x => x.ContentType).HasMaxLength(200);
            k.Property(x => x.Location).HasMaxLength(2000);
            k.HasIndex(x => x.CreatedAt);
        });
        model.Entity<BounceEvent>(b =>
        {
            b.Property(x => x.Email).HasMaxLength(320);
            b.Property(x => x.Status).HasMaxLength(32);
            b.Property(x => x.Diagnostic).HasMaxLength(1000);
            b.HasIndex(x => x.At);
            b.HasIndex(x => new { x.CampaignId, x.Kind });
            b.HasIndex(x => x.SubscriberId);
        });
        model.Entity<ProcessedMessage>(m =>
        {
            m.HasKey(x => new { x.Mailbox, x.MessageId });
            m.Property(x => x.Mailbox).HasMaxLength(50);
            m.Property(x => x.MessageId).HasMaxLength(500);
            m.Ignore(x => x.Handled);
        });
        model.Entity<MailboxState>(m =>
        {
            m.HasKey(x => x.Name);
            m.Property(x => x.Name).HasMaxLength(50);
            m.Property(x => x.LeaseHolder).HasMaxLength(40);
            m.Property(x => x.LastError).HasMaxLength(1000);
        });
        model.Entity<ReaderActivity>(a =>
        {
            a.ToTable("Activities");
            a.HasIndex(x => new { x.CampaignId, x.Kind, x.At });
            a.HasIndex(x => x.SubscriberId);
        });
        model.Entity<TrackedLink>(l =>
        {
            l.Property(x => x.Url).HasMaxLength(TrackedLink.MaxUrlLength);
            l.HasIndex(x => new { x.CampaignId, x.Url }).IsUnique();
        });
        model.Entity<AuditEntry>(a =>
        {
            a.ToTable("AuditLog");
            a.Property(x => x.Actor).HasMaxLength(AuditEntry.MaxActor);
            a.Property(x => x.Action).HasMaxLength(AuditEntry.MaxAction);
            a.Property(x => x.Target).HasMaxLength(AuditEntry.MaxTarget);
            a.Property(x => x.ClientAddress).HasMaxLength(AuditEntry.MaxClientAddress);
            a.HasIndex(x => x.At);
            a.HasIndex(x => new { x.Action, x.At });
        });
    }

    private static void OnAccountsCreating(ModelBuilder model)
    {
        model.Entity<Account>().ToTable("Accounts");
        model.Entity<IdentityRole>().ToTable("Roles");
        model.Entity<IdentityUserRole<string>>().ToTable("AccountRoles");
        model.Entity<IdentityUserClaim<string>>().ToTable("AccountClaims");
        model.Entity<IdentityUserLogin<string>>().ToTable("AccountLogins");
        model.Entity<IdentityUserToken<string>>().ToTable("AccountTokens");
        model.Entity<IdentityRoleClaim<string>>().ToTable("RoleClaims");
        model.Entity<AccountApiKey>(k =>
        {
            k.ToTable("AccountApiKeys");
            k.Property(x => x.UserId).HasMaxLength(64);
            k.Property(x => x.Name).HasMaxLength(AccountApiKey.MaxName);
            k.Property(x => x.Prefix).HasMaxLength(16);
            k.Property(x => x.Hash).HasMaxLength(32);
            k.HasIndex(x => x.Hash).IsUnique();
            k.HasIndex(x => x.UserId);
            k.HasOne<Account>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        // The four roles are part of the schema: every process finds them, none has to create them at start-up.
        model.Entity<IdentityRole>().HasData(AccountRoles.All.Select(name => new IdentityRole
        {
            Id = name, Name = name, NormalizedName = name.ToUpperInvariant(), ConcurrencyStamp = name,
        }));
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
