using Hangfire;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Digests;
using NewsletterService.Security;
using NewsletterService.Subscriptions;

namespace NewsletterService.Dashboard.Pages;

/// <summary>Subscribers by status and by list, sends over 30 days, upcoming and recent campaigns, the next digests.</summary>
[RequirePermission(Permission.Read)]
public sealed class IndexModel(
    NewsletterDb db, ListCatalog lists, JobStorage jobs, IOptions<DigestOptions> digests, TimeProvider clock) : PageModel
{
    public EditorTime Time { get; private set; } = null!;
    public Dictionary<SubscriberStatus, int> Subscribers { get; private set; } = [];
    public List<ListCatalog.ListView> ByList { get; private set; } = [];
    public List<DigestCatalog.DigestView> Digests { get; private set; } = [];
    public SendChart Chart { get; private set; } = null!;
    public List<CampaignRow> Upcoming { get; private set; } = [];
    public List<CampaignRow> Recent { get; private set; } = [];
    public List<CampaignRates> Rates { get; private set; } = [];
    public string NothingScheduled => "Nothing is scheduled.";
    public string NothingSent => "No campaign has been sent yet.";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Time = EditorTime.For(HttpContext);
        Subscribers = await db.Subscribers.GroupBy(s => s.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        ByList = await lists.AllAsync(ct);
        Digests = await DigestCatalog.ListAsync(db, jobs, digests, ct);
        Chart = await SendChart.LoadAsync(db, Time, clock.GetUtcNow(), ct);
        // Upcoming: scheduled, and writers' campaigns not approved yet (awaiting approval or returned); recent: the others.
        Upcoming = await CampaignRow.LoadAsync(db, db.Campaigns.Where(c => c.Status == CampaignStatus.Scheduled
            || c.Status == CampaignStatus.AwaitingApproval || c.Status == CampaignStatus.Returned).OrderBy(c => c.SendAt).Take(5), ct);
        Recent = await CampaignRow.LoadAsync(db, db.Campaigns.Where(c => c.Status != CampaignStatus.Scheduled
            && c.Status != CampaignStatus.AwaitingApproval && c.Status != CampaignStatus.Returned).OrderByDescending(c => c.Id).Take(8), ct);
        Rates = await CampaignRates.LoadAsync(db, Recent.Where(c => c.StartedAt is not null).ToList(), ct);
    }
}
