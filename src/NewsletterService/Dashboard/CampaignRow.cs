using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Delivery;

namespace NewsletterService.Dashboard;

/// <summary>
/// A campaign as the dashboard lists it: its article's title, and its ledger counts as the API gives them (<see cref="CampaignProgress"/>).
/// </summary>
public sealed record CampaignRow(long Id, string Title, CampaignStatus Status, DateTime CreatedAt, DateTime? SendAt, DateTime? StartedAt,
    DateTime? CompletedAt, string? PausedReason, int Total, CampaignCounts Counts, double? DurationSeconds, double? AverageRate)
{
    /// <summary>The comment a returned campaign was sent back to its writer with.</summary>
    public string? ReviewComment { get; init; }

    public int Sent => Counts.Sent;
    public int Failed => Counts.Failed;
    public int Skipped => Counts.Skipped;
    public int Cancelled => Counts.Cancelled;
    public int Pending => Counts.Pending;
    public int Percent => Total == 0 ? (Status == CampaignStatus.Sent ? 100 : 0)
        : (int)(100L * (Sent + Failed + Skipped + Cancelled) / Total);

    /// <summary>Where the bar's parts start and how wide they are (sent and skipped, failed, cancelled), e.g. <c>"42.5%"</c>.</summary>
    public string SentWidth => Width(Sent + Skipped);
    public string FailedWidth => Width(Failed);
    public string CancelledX => Width(Sent + Skipped + Failed);
    public string CancelledWidth => Width(Cancelled);

    /// <summary>The status as the API writes it (<c>awaitingApproval</c>): the badge's class and what dashboard.js compares.</summary>
    public string StatusId => JsonNamingPolicy.CamelCase.ConvertName(Status.ToString());

    /// <summary>The status in words: "awaiting approval".</summary>
    public string StatusText => Status == CampaignStatus.AwaitingApproval ? "awaiting approval" : StatusId;

    private string Width(int part) => (Total == 0 ? 0 : 100.0 * part / Total).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    /// <summary>The campaigns of <paramref name="query"/>, with all their counts read in one grouped query.</summary>
    public static async Task<List<CampaignRow>> LoadAsync(NewsletterDb db, IQueryable<Campaign> query, CancellationToken ct)
    {
        var campaigns = await (from c in query
                               join a in db.Articles on c.ArticleId equals a.Id into articles
                               from a in articles.DefaultIfEmpty()
                               select new { Campaign = c, Title = a != null ? a.Title : null }).AsNoTracking().ToListAsync(ct);
        var counts = await CampaignProgress.CountAsync(db, campaigns.Select(c => c.Campaign.Id).ToList(), ct);
        return campaigns.Select(x =>
        {
            var (c, n) = (x.Campaign, counts[x.Campaign.Id]);
            var (seconds, rate) = CampaignProgress.Pace(c, n.Sent);
            return new CampaignRow(c.Id, TitleOf(c, x.Title), c.Status, c.CreatedAt, c.SendAt, c.StartedAt, c.CompletedAt, c.PausedReason,
                Math.Max(c.Total, n.Total), n, seconds, rate)
            { ReviewComment = c.ReviewComment };
        }).ToList();
    }

    public static string TitleOf(Campaign c, string? articleTitle) =>
        c.Kind == CampaignKind.Digest ? $"{c.DigestCadence} digest" : articleTitle ?? "(article deleted)";
}
