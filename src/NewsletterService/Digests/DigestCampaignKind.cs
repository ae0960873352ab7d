using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using NewsletterService.Articles;
using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Delivery;
using NewsletterService.Infrastructure;
using NewsletterService.Rendering;
using NewsletterService.Security;
using NewsletterService.Subscriptions;

namespace NewsletterService.Digests;

/// <summary>
/// A digest campaign: the readers <see cref="DigestRunner"/> took for it, each with the articles of their window (after
/// their DigestFrom, up to the digest's DigestUpTo) meant for everyone or for one of their lists, newest first. Readers
/// with the same articles share one rendered email.
/// </summary>
public sealed class DigestCampaignKind(EmailComposer composer, IOptions<NewsletterOptions> options, LinkTokens tokens, IMemoryCache cache)
    : ICampaignKind
{
    public CampaignKind Kind => CampaignKind.Digest;

    /// <summary>One delivery per reader the digest took, with the start of their window.</summary>
    public Task WriteLedgerAsync(NewsletterDb db, Campaign campaign, CancellationToken ct) => db.Database.ExecuteSqlAsync($"""
        INSERT INTO "Deliveries" ("CampaignId", "SubscriberId", "Status", "Attempts", "DigestFrom")
        SELECT {campaign.Id}, s."Id", {nameof(DeliveryStatus.Pending)}, 0, s."DigestFrom" FROM "Subscribers" AS s
        WHERE s."DigestCampaignId" = {campaign.Id}
        ON CONFLICT ("CampaignId", "SubscriberId") DO NOTHING
        """, ct);

    public async Task<Func<Recipient, CampaignContent?>> ContentForAsync(NewsletterDb db, Campaign digest,
        IReadOnlyList<Recipient> recipients, CancellationToken ct)
    {
        var from = recipients.Min(r => r.DigestFrom) ?? DateTime.MinValue;
        var upTo = digest.DigestUpTo!.Value;
        var articles = await db.Articles.AsNoTracking().Include(a => a.Lists)
            .Where(Article.AvailableBetween(from, upTo))
            .ToListAsync(ct);
        var ids = recipients.Select(r => r.SubscriberId).ToList();
        var memberships = (await db.ListMembers.AsNoTracking().Where(m => ids.Contains(m.SubscriberId)).ToListAsync(ct))
            .ToLookup(m => m.SubscriberId, m => m.ListId);

        var contents = new Dictionary<long, CampaignContent>();
        foreach (var recipient in recipients)
        {
            var lists = memberships[recipient.SubscriberId].ToHashSet();
            var chosen = articles
                .Where(a => a.AvailableAt > (recipient.DigestFrom ?? DateTime.MinValue) && a.IsFor(lists))
                .OrderByDescending(a => a.AvailableAt).ThenByDescending(a => a.Id).ToList();
            if (chosen.Count > 0) contents[recipient.SubscriberId] = await RenderAsync(digest.DigestCadence!.Value, chosen, ct);
        }
        return r => contents.GetValueOrDefault(r.SubscriberId);
    }

    private async Task<CampaignContent> RenderAsync(Cadence cadence, IReadOnlyList<Article> articles, CancellationToken ct) =>
        (await cache.GetOrCreateAsync(("digest", cadence, string.Join(',', articles.Select(a => a.Id))), async entry =>
        {
            entry.SlidingExpiration = TimeSpan.FromMinutes(10);
            var newsletter = options.Value;
            var heading = $"Your {cadence.ToString().ToLowerInvariant()} digest from {newsletter.FromName}";
            var subject = $"{cadence} digest: {articles[0].Title}" + (articles.Count > 1 ? $" (+{articles.Count - 1} more)" : "");
            var items = articles.Select(a => new DigestItem(a.Title, a.Byline, ArticleMarkdown.Standfirst(a.Body),
                SafeUrl.WebAddress(a.SourceUrl) ?? ArticlePages.Url(a, newsletter, tokens), a.PublishedAt)).ToList();
            var email = await composer.PrepareAsync("Digest", slots => new DigestEmail
            {
                NewsletterName = newsletter.FromName,
                BaseUrl = newsletter.BaseUrl,
                Preheader = string.Join(" · ", articles.Take(3).Select(a => a.Title)),
                RecipientName = slots?.RecipientName,
                UnsubscribeUrl = EmailSlots.UnsubscribeUrl,
                PreferencesUrl = EmailSlots.PreferencesUrl,
                Heading = heading,
                Items = items,
            }, ct);
            return new CampaignContent(subject, email);
        }))!;
}
