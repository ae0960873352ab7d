using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Campaigns;
using NewsletterService.Data;

namespace NewsletterService.Delivery;

/// <summary>
/// The sending pipeline, step one: a campaign starts by writing its delivery ledger (one row per recipient, chosen by
/// its <see cref="ICampaignKind"/> in one set-based statement, never loading subscribers into memory), then the
/// ledger is fanned out into <see cref="CampaignBatchJob"/>s. Safe to run again at any point.
/// </summary>
public sealed class CampaignStarter(
    IDbContextFactory<NewsletterDb> dbs, IEnumerable<ICampaignKind> kinds, IBackgroundJobClient jobs, IOptions<DeliveryOptions> options,
    TimeProvider time, ILogger<CampaignStarter> log)
{
    [Queue("default"), AutomaticRetry(Attempts = 5)]
    public async Task StartAsync(long campaignId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        await db.Campaigns.Where(c => c.Id == campaignId && c.Status == CampaignStatus.Scheduled)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CampaignStatus.Sending).SetProperty(c => c.StartedAt, now), ct);
        if (await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId && c.Status == CampaignStatus.Sending, ct)
            is not { } campaign) return;
        await WriteLedgerAsync(db, campaign, ct);
        await DispatchAsync(db, campaignId, ct);
    }

    /// <summary>Writes the campaign's ledger and records its size; inside the caller's transaction when it has one.</summary>
    public async Task WriteLedgerAsync(NewsletterDb db, Campaign campaign, CancellationToken ct)
    {
        await kinds.Single(k => k.Kind == campaign.Kind).WriteLedgerAsync(db, campaign, ct);
        var total = await RecordTotalAsync(db, campaign.Id, time.GetUtcNow().UtcDateTime, ct);
        log.LogInformation("{Kind} campaign {CampaignId} has {Total} recipients", campaign.Kind, campaign.Id, total);
    }

    /// <summary>Counts a campaign's ledger as written and records its size, and when it was written.</summary>
    public static async Task<int> RecordTotalAsync(NewsletterDb db, long campaignId, DateTime writtenAt, CancellationToken ct)
    {
        var total = await db.Deliveries.CountAsync(d => d.CampaignId == campaignId, ct);
        await db.Campaigns.Where(c => c.Id == campaignId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Total, total).SetProperty(c => c.LedgerWrittenAt, writtenAt), ct);
        return total;
    }

    /// <summary>Enqueues one batch job per <c>Delivery:BatchSize</c> open ledger rows (also used to resume).</summary>
    public async Task DispatchAsync(NewsletterDb db, long campaignId, CancellationToken ct)
    {
        var batchSize = options.Value.BatchSize;
        var batches = 0;
        long after = 0;
        while (true)
        {
            var ids = await DeliveryLedger.SliceAsync(db, campaignId, after, batchSize, ct);
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
