using Hangfire;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Digests;
using NewsletterService.Security;
using NewsletterService.Subscriptions;

namespace NewsletterService.Dashboard.Pages.Digests;

/// <summary>
/// The daily and weekly digests as <c>GET /api/digests</c> lists them (schedule, next and last run, last digest), and
/// "Run now", both through <see cref="DigestCatalog"/> as the API's.
/// </summary>
[RequirePermission(Permission.Read)]
public sealed class IndexModel(
    NewsletterDb db, JobStorage jobs, IOptions<DigestOptions> options, DigestRunner runner, ILogger<IndexModel> log)
    : PageModel
{
    /// <summary>What "Run now" did: the digest campaign it made, or why it made none.</summary>
    public sealed record RunOutcome(Cadence Cadence, long? CampaignId, int Recipients, string? Message, bool Failed);

    public EditorTime Time { get; private set; } = null!;
    public List<DigestCatalog.DigestView> Digests { get; private set; } = [];
    public Dictionary<Cadence, int> Readers { get; private set; } = [];
    public Dictionary<long, CampaignRow> LastDigests { get; private set; } = [];
    public List<CampaignRow> Recent { get; private set; } = [];
    public RunOutcome? Ran { get; private set; }
    public string NoDigests => "No digest has been sent yet.";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Time = EditorTime.For(HttpContext);
        Ran = TempData.Take<RunOutcome>(nameof(Ran));
        Digests = await DigestCatalog.ListAsync(db, jobs, options, ct);
        Readers = await Audience.Readers(db.Subscribers).GroupBy(s => s.Cadence)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var lastIds = Digests.Where(d => d.LastCampaignId is not null).Select(d => d.LastCampaignId!.Value).ToList();
        LastDigests = (await CampaignRow.LoadAsync(db, db.Campaigns.Where(c => lastIds.Contains(c.Id)), ct)).ToDictionary(c => c.Id);
        Recent = await CampaignRow.LoadAsync(db,
            db.Campaigns.Where(c => c.Kind == CampaignKind.Digest).OrderByDescending(c => c.Id).Take(10), ct);
    }

    [RequirePermission(Permission.Send)]
    public async Task<RedirectToPageResult> OnPostRunAsync(string? cadence, CancellationToken ct)
    {
        var outcome = await DigestCatalog.RunNowAsync(cadence ?? "", runner, db, ct);
        var parsed = Enum.TryParse<Cadence>(cadence, ignoreCase: true, out var c) ? c : Cadence.Daily;
        if (outcome.Refusal is { } refusal) Ran = new RunOutcome(parsed, null, 0, refusal.Detail, true);
        else if (outcome.Value is { } campaign)
        {
            log.LogInformation("Dashboard ran the {Cadence} digest: campaign {CampaignId}", parsed, campaign.Id);
            Ran = new RunOutcome(parsed, campaign.Id, campaign.Total, null, false);
        }
        else Ran = new(parsed, null, 0, $"No {SubscriberSearch.Value(parsed)} digest was sent: {DigestCatalog.NothingNew}", false);
        TempData.Put(nameof(Ran), Ran);
        return RedirectToPage(); // Post/Redirect/Get: a reload runs nothing again
    }
}
