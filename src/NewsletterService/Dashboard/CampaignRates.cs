using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;
using NewsletterService.Tracking;

namespace NewsletterService.Dashboard;

/// <summary>
/// The overview's open and click rates of the last campaigns: readers who opened (machine opens left out) and readers who
/// clicked, each over the mails sent; "—" where that tracking was off. One grouped query for all the campaigns.
/// </summary>
public sealed record CampaignRates(CampaignRow Campaign, string Opens, string Clicks)
{
    public static async Task<List<CampaignRates>> LoadAsync(NewsletterDb db, IReadOnlyList<CampaignRow> campaigns, CancellationToken ct)
    {
        var ids = campaigns.Select(c => c.Id).ToList();
        var switches = await db.Campaigns.Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.TrackOpens, c.TrackClicks }).ToDictionaryAsync(c => c.Id, ct);
        var readers = await db.Activities
            .Where(a => ids.Contains(a.CampaignId) && !a.Machine && (a.Kind == ActivityKind.Open || a.Kind == ActivityKind.Click))
            .GroupBy(a => new { a.CampaignId, a.Kind })
            .Select(g => new { g.Key.CampaignId, g.Key.Kind, Unique = g.Select(a => a.SubscriberId).Distinct().Count() })
            .ToDictionaryAsync(x => (x.CampaignId, x.Kind), x => x.Unique, ct);
        string Rate(CampaignRow c, bool on, ActivityKind kind) => !on || c.Sent == 0 ? "—"
            : (100.0 * readers.GetValueOrDefault((c.Id, kind)) / c.Sent).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "%";
        return campaigns.Where(c => switches.ContainsKey(c.Id))
            .Select(c => new CampaignRates(c, Rate(c, switches[c.Id].TrackOpens, ActivityKind.Open), Rate(c, switches[c.Id].TrackClicks, ActivityKind.Click)))
            .ToList();
    }
}
