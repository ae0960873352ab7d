using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Data;
using NewsletterService.Delivery;
using NewsletterService.Subscriptions;

namespace NewsletterService.Campaigns;

/// <summary>
/// Starts a campaign: writes its delivery ledger (one row per recipient, in one INSERT ... SELECT, never loading
/// subscribers into memory) and fans the ledger out into batch jobs. Safe to run again at any point.
/// </summary>
public sealed class CampaignStarter(
    IDbContextFactory<NewsletterDb> dbs, IBackgroundJobClient jobs, IOptions<DeliveryOptions> options, TimeProvider time,
    ILogger<CampaignStarter> log)
{
    [Queue("default"), AutomaticRetry(Attempts = 5)]
    public async Task StartAsync(long campaignId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        await db.Campaigns.Where(c => c.Id == campaignId && c.Status == CampaignStatus.Scheduled)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CampaignStatus.Sending).SetProperty(c => c.StartedAt, now), ct);
        if (!await CampaignWatch.IsSendingAsync(db, campaignId, ct)) return;

        // Article campaigns go to every confirmed subscriber who takes each article as it comes, and who is on one of
        // the campaign's lists when it has any.
        var ledger = $$"""
            INSERT INTO "Deliveries" ("CampaignId", "SubscriberId", "Status", "Attempts")
            SELECT {0}, s."Id", {1}, 0 FROM "Subscribers" AS s
            WHERE {{Audience.ReadersSql}} AND s."Cadence" = {2} AND {{Audience.OnListsOf("CampaignLists", "CampaignId", "{0}")}}
            ON CONFLICT ("CampaignId", "SubscriberId") DO NOTHING
            """; // only constants spliced in; the values are parameters
        await db.Database.ExecuteSqlRawAsync(ledger, [campaignId, nameof(DeliveryStatus.Pending), nameof(Cadence.Immediate)], ct);
        var total = await db.Deliveries.CountAsync(d => d.CampaignId == campaignId, ct);
        await db.Campaigns.Where(c => c.Id == campaignId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Total, total).SetProperty(c => c.LedgerWrittenAt, now), ct);
        log.LogInformation("Campaign {CampaignId} started for {Total} recipients", campaignId, total);
        await DispatchAsync(db, campaignId, ct);
    }

    /// <summary>Enqueues one batch job per <c>Delivery:BatchSize</c> open ledger rows (also used to resume).</summary>
    public async Task DispatchAsync(NewsletterDb db, long campaignId, CancellationToken ct)
    {
        var batchSize = options.Value.BatchSize;
        var batches = 0;
        long after = 0;
        while (true)
        {
            var ids = await db.Deliveries
                .Where(d => d.CampaignId == campaignId && d.Id > after && (d.Status == DeliveryStatus.Pending || d.Status == DeliveryStatus.Sending))
                .OrderBy(d => d.Id).Select(d => d.Id).Take(batchSize).ToListAsync(ct);
            if (ids.Count == 0) break;
            var (first, last) = (ids[0], ids[^1]);
            jobs.Enqueue<CampaignBatchJob>(j => j.SendAsync(campaignId, first, last, CancellationToken.None));
            after = last;
            batches++;
        }
        log.LogInformation("Campaign {CampaignId}: {Batches} batch jobs enqueued", campaignId, batches);
        if (batches == 0) await CampaignProgress.TryCompleteAsync(db, campaignId, time.GetUtcNow().UtcDateTime, ct);
    }
}
