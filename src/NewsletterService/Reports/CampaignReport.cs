using Microsoft.EntityFrameworkCore;
using NewsletterService.Bounces;
using NewsletterService.Data;
using NewsletterService.Delivery;
using NewsletterService.Tracking;

namespace NewsletterService.Reports;

public sealed record OpenCounts(int Unique, int Total, int Machine);

public sealed record ClickCounts(int Unique, int Total);

public sealed record LinkClicks(string Url, int Clicks, int Unique);

/// <summary>Opens (by readers, not machines) and clicks in one clock hour (UTC) counted from the hour the campaign started (0).</summary>
public sealed record HourActivity(int Hour, int Opens, int Clicks);

public sealed record TrackingSwitches(bool Opens, bool Clicks);

/// <summary>
/// What one campaign did: its ledger (sent, failed), what was reported back (bounces and complaints by SMTP, the webhook
/// or the bounce mailbox), unsubscribes through its mails, and, where tracking was on, opens, clicks, its links and the first
/// <see cref="TimelineHours"/> hours. Open counts are estimates: see README, "Campaign reports and tracking".
/// </summary>
public sealed record CampaignReport(
    long Id, TrackingSwitches Tracking, int Sent, int Failed, int Bounced, int Complaints, int Unsubscribed, OpenCounts Opens,
    ClickCounts Clicks, IReadOnlyList<LinkClicks> Links, IReadOnlyList<HourActivity> Timeline)
{
    public const int TimelineHours = 48;

    public static async Task<CampaignReport?> LoadAsync(NewsletterDb db, long id, CancellationToken ct)
    {
        if (await CampaignProgress.ReadAsync(db, id, ct) is not { } campaign) return null;
        var counts = await CampaignProgress.CountAsync(db, id, ct);
        var bounces = await db.BounceEvents.Where(b => b.CampaignId == id).GroupBy(b => b.Kind)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var activity = db.Activities.Where(a => a.CampaignId == id);
        var byKind = await activity.GroupBy(a => new { a.Kind, a.Machine })
            .Select(g => new { g.Key.Kind, g.Key.Machine, Total = g.Count(), Unique = g.Select(a => a.SubscriberId).Distinct().Count() })
            .ToListAsync(ct);
        int Total(ActivityKind kind, bool machine = false) => byKind.Where(x => x.Kind == kind && x.Machine == machine).Sum(x => x.Total);
        int Unique(ActivityKind kind) => byKind.Where(x => x.Kind == kind && !x.Machine).Sum(x => x.Unique);

        var links = await (from l in db.TrackedLinks
                           where l.CampaignId == id
                           join a in activity.Where(a => a.Kind == ActivityKind.Click) on l.Id equals a.LinkId into clicks
                           select new LinkClicks(l.Url, clicks.Count(), clicks.Select(c => c.SubscriberId).Distinct().Count()))
            .ToListAsync(ct);
        return new CampaignReport(
            id, new TrackingSwitches(campaign.TrackOpens, campaign.TrackClicks), counts.Sent, counts.Failed,
            bounces.Where(b => b.Key != BounceKind.Complaint).Sum(b => b.Value), bounces.GetValueOrDefault(BounceKind.Complaint),
            Total(ActivityKind.Unsubscribe), new OpenCounts(Unique(ActivityKind.Open), Total(ActivityKind.Open), Total(ActivityKind.Open, true)),
            new ClickCounts(Unique(ActivityKind.Click), Total(ActivityKind.Click)),
            links.OrderByDescending(l => l.Clicks).ThenBy(l => l.Url, StringComparer.Ordinal).ToList(),
            await TimelineAsync(activity, campaign.StartedAt, ct));
    }

    private static async Task<IReadOnlyList<HourActivity>> TimelineAsync(IQueryable<ReaderActivity> activity, DateTime? start,
        CancellationToken ct)
    {
        if (start is not { } started) return [];
        var from = new DateTime(started.Year, started.Month, started.Day, started.Hour, 0, 0, DateTimeKind.Utc);
        var to = from.AddHours(TimelineHours);
        var times = await activity.Where(a => !a.Machine && a.At >= from && a.At < to && a.Kind != ActivityKind.Unsubscribe)
            .GroupBy(a => new { a.Kind, a.At.Date, a.At.Hour })
            .Select(g => new { g.Key.Kind, g.Key.Date, g.Key.Hour, Count = g.Count() }).ToListAsync(ct);
        var hours = new int[TimelineHours, 2];
        foreach (var t in times)
        {
            var hour = (int)(t.Date.AddHours(t.Hour) - from).TotalHours;
            hours[hour, t.Kind == ActivityKind.Open ? 0 : 1] += t.Count;
        }
        return Enumerable.Range(0, TimelineHours).Select(h => new HourActivity(h, hours[h, 0], hours[h, 1])).ToList();
    }
}
