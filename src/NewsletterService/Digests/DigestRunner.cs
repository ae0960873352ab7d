using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Articles;
using NewsletterService.Audit;
using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Delivery;
using NewsletterService.Subscriptions;
using NewsletterService.Tracking;

namespace NewsletterService.Digests;

/// <summary>
/// Makes one digest campaign for a cadence. Each subscriber of that cadence with something new is taken by one
/// atomic UPDATE that moves their digest cursor to now and remembers where their window began: a second run, at the
/// same moment or later, finds nothing left in that window, so nobody gets an article twice; the window always starts
/// where the last one ended, so none is skipped, and after downtime one digest covers the whole gap.
/// </summary>
public sealed class DigestRunner(
    IDbContextFactory<NewsletterDb> dbs, CampaignStarter starter, TimeProvider time, IOptions<TrackingOptions> tracking, AuditLog audit,
    ILogger<DigestRunner> log)
{
    public static string RecurringJobId(Cadence cadence) => "digest-" + cadence.ToString().ToLowerInvariant();

    [Queue("default"), AutomaticRetry(Attempts = 3)]
    public async Task<long?> RunAsync(Cadence cadence, CancellationToken ct)
    {
        if (cadence == Cadence.Immediate) throw new ArgumentOutOfRangeException(nameof(cadence), "Digests are daily or weekly.");
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        var campaign = new Campaign
        {
            Kind = CampaignKind.Digest, DigestCadence = cadence, DigestUpTo = now,
            Status = CampaignStatus.Sending, CreatedAt = now, StartedAt = now,
            TrackOpens = tracking.Value.Opens, TrackClicks = tracking.Value.Clicks, // digests follow the defaults
        };
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync(ct);

        var take = $$"""
            UPDATE "Subscribers" AS s
            SET "DigestFrom" = COALESCE(s."DigestCursor", s."ConfirmedAt"), "DigestCursor" = {0}, "DigestCampaignId" = {1}
            WHERE {{Audience.ReadersSql}} AND s."Cadence" = {2} AND EXISTS (
                SELECT 1 FROM "Articles" AS a
                WHERE {{Article.AvailableAtSql}} > COALESCE(s."DigestCursor", s."ConfirmedAt") AND {{Article.AvailableAtSql}} <= {0}
                  AND {{Audience.OnListsOf("ArticleLists", "ArticleId", "a.\"Id\"")}})
            """; // only constants spliced in; the values are parameters
        var taken = await db.Database.ExecuteSqlRawAsync(take, [now, campaign.Id, cadence.ToString()], ct);
        if (taken == 0)
        {
            await tx.RollbackAsync(ct);
            log.LogInformation("No {Cadence} digest: nothing new for anyone", cadence);
            return null;
        }

        await starter.WriteLedgerAsync(db, campaign, ct); // in this transaction: a reader taken is a reader with a delivery
        await tx.CommitAsync(ct);

        log.LogInformation("{Cadence} digest {CampaignId} for {Subscribers} subscribers", cadence, campaign.Id, taken);
        await audit.RecordAsync("digest.send", $"campaign {campaign.Id}", new { cadence, subscribers = taken });
        await starter.DispatchAsync(db, campaign.Id, ct);
        return campaign.Id;
    }
}
