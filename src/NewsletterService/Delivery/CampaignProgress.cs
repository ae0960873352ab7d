using Microsoft.EntityFrameworkCore;
using NewsletterService.Campaigns;
using NewsletterService.Data;

namespace NewsletterService.Delivery;

/// <summary>A campaign's ledger counted by status; <see cref="Pending"/> holds the rows still open (waiting, or being sent).</summary>
public sealed record CampaignCounts(int Total, int Sent, int Failed, int Skipped, int Cancelled, int Pending);

/// <summary>
/// A sending campaign's state, read and moved in one place: its counts from the ledger, a pause (by an editor, or by
/// a batch after repeated SMTP failures), its end once the ledger has nothing open, and how fast it went.
/// </summary>
public static class CampaignProgress
{
    /// <summary>A campaign as it is now, not tracked; null when there is none.</summary>
    public static Task<Campaign?> ReadAsync(NewsletterDb db, long campaignId, CancellationToken ct) =>
        db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, ct);

    public static Task<bool> IsSendingAsync(NewsletterDb db, long campaignId, CancellationToken ct) =>
        db.Campaigns.AnyAsync(c => c.Id == campaignId && c.Status == CampaignStatus.Sending, ct);

    public static async Task<CampaignCounts> CountAsync(NewsletterDb db, long campaignId, CancellationToken ct) =>
        (await CountAsync(db, [campaignId], ct))[campaignId];

    /// <summary>The counts of several campaigns, read in one grouped query.</summary>
    public static async Task<IReadOnlyDictionary<long, CampaignCounts>> CountAsync(NewsletterDb db, IReadOnlyCollection<long> campaignIds,
        CancellationToken ct)
    {
        var groups = await db.Deliveries.Where(d => campaignIds.Contains(d.CampaignId))
            .GroupBy(d => new { d.CampaignId, d.Status }).Select(g => new { g.Key.CampaignId, g.Key.Status, Count = g.Count() })
            .ToListAsync(ct);
        return campaignIds.Distinct().ToDictionary(id => id, id =>
        {
            var byStatus = groups.Where(g => g.CampaignId == id).ToDictionary(g => g.Status, g => g.Count);
            int Of(DeliveryStatus s) => byStatus.GetValueOrDefault(s);
            return new CampaignCounts(byStatus.Values.Sum(), Of(DeliveryStatus.Sent), Of(DeliveryStatus.Failed), Of(DeliveryStatus.Skipped),
                Of(DeliveryStatus.Cancelled), Of(DeliveryStatus.Pending) + Of(DeliveryStatus.Sending));
        });
    }

    /// <summary>A finished campaign's duration (start to finish, pauses included) and average rate in messages sent per second.</summary>
    public static (double? Seconds, double? Rate) Pace(Campaign campaign, int sent)
    {
        if (campaign is not { StartedAt: { } start, CompletedAt: { } end } || end < start) return (null, null);
        var seconds = (end - start).TotalSeconds;
        return (Math.Round(seconds, 1), seconds > 0 ? Math.Round(sent / seconds, 1) : null);
    }

    /// <summary>
    /// Pauses a sending campaign; 1 when it was sending. Its running batches notice within a second (see <see cref="CampaignWatch"/>).
    /// </summary>
    public static Task<int> TryPauseAsync(NewsletterDb db, long campaignId, string reason, CancellationToken ct) =>
        db.Campaigns.Where(c => c.Id == campaignId && c.Status == CampaignStatus.Sending)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CampaignStatus.Paused)
                .SetProperty(c => c.PausedReason, reason[..Math.Min(reason.Length, 1000)]), ct);

    /// <summary>
    /// Marks a sending campaign sent (or failed, when not one message went out) once its ledger has nothing open. Of a
    /// cancelled campaign, the rows no batch is sending any more become cancelled: pending ones (also those a batch
    /// deferred after the cancel), and claimed ones whose claim ran out (their batch died).
    /// </summary>
    public static async Task TryCompleteAsync(NewsletterDb db, long campaignId, DateTime now, CancellationToken ct)
    {
        var campaign = await db.Campaigns.Where(c => c.Id == campaignId).Select(c => new { c.Status, c.LedgerWrittenAt })
            .FirstOrDefaultAsync(ct);
        if (campaign?.Status == CampaignStatus.Cancelled)
        {
            await db.Deliveries
                .Where(d => d.CampaignId == campaignId &&
                            (d.Status == DeliveryStatus.Pending || (d.Status == DeliveryStatus.Sending && d.ClaimedUntil < now)))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Cancelled)
                    .SetProperty(d => d.NextAttemptAt, (DateTime?)null).SetProperty(d => d.ClaimToken, (string?)null)
                    .SetProperty(d => d.ClaimedUntil, (DateTime?)null), ct);
            return;
        }
        if (campaign?.LedgerWrittenAt is null) return;
        await FinishIfDoneAsync(db, campaignId, now, ct);
    }

    /// <summary>The end of <see cref="TryCompleteAsync"/> for a campaign whose ledger is written.</summary>
    public static async Task FinishIfDoneAsync(NewsletterDb db, long campaignId, DateTime now, CancellationToken ct)
    {
        if (await DeliveryLedger.Open(db, campaignId).AnyAsync(ct)) return;
        var counts = await CountAsync(db, campaignId, ct);
        var final = counts.Failed > 0 && counts.Sent == 0 ? CampaignStatus.Failed : CampaignStatus.Sent;
        await db.Campaigns.Where(c => c.Id == campaignId && c.Status == CampaignStatus.Sending)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, final).SetProperty(c => c.CompletedAt, now), ct);
    }
}
