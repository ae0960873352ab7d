using Microsoft.EntityFrameworkCore;
using NewsletterService.Campaigns;
using NewsletterService.Data;

namespace NewsletterService.Delivery;

public sealed record CampaignCounts(int Total, int Sent, int Failed, int Skipped, int Pending);

/// <summary>
/// A sending campaign's state, read and moved in one place: its counts from the ledger, a pause (by an editor, or by
/// a batch after repeated SMTP failures), and its end once the ledger has nothing open.
/// </summary>
public static class CampaignProgress
{
    public static Task<bool> IsSendingAsync(NewsletterDb db, long campaignId, CancellationToken ct) =>
        db.Campaigns.AnyAsync(c => c.Id == campaignId && c.Status == CampaignStatus.Sending, ct);

    public static async Task<CampaignCounts> CountAsync(NewsletterDb db, long campaignId, CancellationToken ct)
    {
        var byStatus = await db.Deliveries.Where(d => d.CampaignId == campaignId)
            .GroupBy(d => d.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        int Of(DeliveryStatus s) => byStatus.GetValueOrDefault(s);
        return new CampaignCounts(byStatus.Values.Sum(), Of(DeliveryStatus.Sent), Of(DeliveryStatus.Failed), Of(DeliveryStatus.Skipped),
            Of(DeliveryStatus.Pending) + Of(DeliveryStatus.Sending));
    }

    /// <summary>Pauses a sending campaign; 1 when it was sending. Its running batches notice within a second (see <see cref="CampaignWatch"/>).</summary>
    public static Task<int> TryPauseAsync(NewsletterDb db, long campaignId, string reason, CancellationToken ct) =>
        db.Campaigns.Where(c => c.Id == campaignId && c.Status == CampaignStatus.Sending)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CampaignStatus.Paused)
                .SetProperty(c => c.PausedReason, reason[..Math.Min(reason.Length, 1000)]), ct);

    /// <summary>Marks a sending campaign sent (or failed, when not one message went out) once its ledger has nothing open.</summary>
    public static async Task TryCompleteAsync(NewsletterDb db, long campaignId, DateTime now, CancellationToken ct)
    {
        if (!await db.Campaigns.AnyAsync(c => c.Id == campaignId && c.LedgerWrittenAt != null, ct)) return;
        if (await DeliveryLedger.Open(db, campaignId).AnyAsync(ct)) return;
        var counts = await CountAsync(db, campaignId, ct);
        var final = counts.Failed > 0 && counts.Sent == 0 ? CampaignStatus.Failed : CampaignStatus.Sent;
        await db.Campaigns.Where(c => c.Id == campaignId && c.Status == CampaignStatus.Sending)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, final).SetProperty(c => c.CompletedAt, now), ct);
    }
}
