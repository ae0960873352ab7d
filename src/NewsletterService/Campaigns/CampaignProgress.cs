using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;
using NewsletterService.Delivery;

namespace NewsletterService.Campaigns;

public sealed record CampaignCounts(int Total, int Sent, int Failed, int Skipped, int Pending);

/// <summary>Reads a campaign's progress from its delivery ledger, and closes the campaign when nothing is left to send.</summary>
public static class CampaignProgress
{
    public static async Task<CampaignCounts> CountAsync(NewsletterDb db, long campaignId, CancellationToken ct)
    {
        var byStatus = await db.Deliveries.Where(d => d.CampaignId == campaignId)
            .GroupBy(d => d.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        int Of(DeliveryStatus s) => byStatus.GetValueOrDefault(s);
        return new CampaignCounts(byStatus.Values.Sum(), Of(DeliveryStatus.Sent), Of(DeliveryStatus.Failed), Of(DeliveryStatus.Skipped),
            Of(DeliveryStatus.Pending) + Of(DeliveryStatus.Sending));
    }

    /// <summary>Marks a sending campaign sent (or failed, when not one message went out) once its ledger has nothing open.</summary>
    public static async Task TryCompleteAsync(NewsletterDb db, long campaignId, DateTime now, CancellationToken ct)
    {
        if (!await db.Campaigns.AnyAsync(c => c.Id == campaignId && c.LedgerWrittenAt != null, ct)) return;
        var open = await db.Deliveries.AnyAsync(d => d.CampaignId == campaignId &&
            (d.Status == DeliveryStatus.Pending || d.Status == DeliveryStatus.Sending), ct);
        if (open) return;
        var counts = await CountAsync(db, campaignId, ct);
        var final = counts.Failed > 0 && counts.Sent == 0 ? CampaignStatus.Failed : CampaignStatus.Sent;
        await db.Campaigns.Where(c => c.Id == campaignId && c.Status == CampaignStatus.Sending)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, final).SetProperty(c => c.CompletedAt, now), ct);
    }
}
