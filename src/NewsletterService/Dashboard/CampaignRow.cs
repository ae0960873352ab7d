using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Delivery;

namespace NewsletterService.Dashboard;

/// <summary>A campaign as the dashboard lists it: its article's title and its ledger counts.</summary>
public sealed record CampaignRow(long Id, string Title, CampaignStatus Status, DateTime CreatedAt, DateTime? SendAt, DateTime? StartedAt,
    DateTime? CompletedAt, int Total, int Sent, int Failed, int Skipped)
{
    public int Percent => Total == 0 ? (Status == CampaignStatus.Sent ? 100 : 0) : (int)(100L * (Sent + Failed + Skipped) / Total);
    public int Pending => Math.Max(0, Total - Sent - Failed - Skipped);

    /// <summary>CSS widths of the bar's sent and failed parts, e.g. <c>"42.5%"</c>.</summary>
    public string SentWidth => Width(Sent + Skipped);
    public string FailedWidth => Width(Failed);

    private string Width(int part) => (Total == 0 ? 0 : 100.0 * part / Total).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    /// <summary>The campaigns of <paramref name="query"/>, with all their counts read in one grouped query.</summary>
    public static async Task<List<CampaignRow>> LoadAsync(NewsletterDb db, IQueryable<Campaign> query, CancellationToken ct)
    {
        var campaigns = await (from c in query
                               join a in db.Articles on c.ArticleId equals a.Id into articles
                               from a in articles.DefaultIfEmpty()
                               select new { Campaign = c, Title = a != null ? a.Title : null }).AsNoTracking().ToListAsync(ct);
        var ids = campaigns.Select(c => c.Campaign.Id).ToList();
        var counts = await db.Deliveries.Where(d => ids.Contains(d.CampaignId))
            .GroupBy(d => new { d.CampaignId, d.Status }).Select(g => new { g.Key.CampaignId, g.Key.Status, Count = g.Count() })
            .ToListAsync(ct);
        int Count(long id, DeliveryStatus status) => counts.Where(x => x.CampaignId == id && x.Status == status).Sum(x => x.Count);
        return campaigns.Select(x =>
        {
            var c = x.Campaign;
            var total = Math.Max(c.Total, counts.Where(n => n.CampaignId == c.Id).Sum(n => n.Count));
            return new CampaignRow(c.Id, TitleOf(c, x.Title), c.Status, c.CreatedAt, c.SendAt, c.StartedAt, c.CompletedAt, total,
                Count(c.Id, DeliveryStatus.Sent), Count(c.Id, DeliveryStatus.Failed), Count(c.Id, DeliveryStatus.Skipped));
        }).ToList();
    }

    private static string TitleOf(Campaign c, string? articleTitle) =>
        c.Kind == CampaignKind.Digest ? $"{c.DigestCadence} digest" : articleTitle ?? "(article deleted)";
}
