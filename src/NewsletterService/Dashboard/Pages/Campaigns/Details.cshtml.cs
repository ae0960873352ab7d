using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Delivery;
using NewsletterService.Infrastructure;
using NewsletterService.Security;

namespace NewsletterService.Dashboard.Pages.Campaigns;

/// <summary>
/// One campaign: a banner saying its state, live progress (dashboard.js polls <c>/admin/campaigns/{id}/progress</c>, the
/// API's view, until the campaign is final), when it finished, how long it took and how fast it went, controls, failures.
/// </summary>
[RequirePermission(Permission.Read)]
public sealed partial class DetailsModel(NewsletterDb db, CampaignControl control, CampaignApproval approval, TimeProvider clock)
    : PageModel
{
    private const int PageSize = 50;

    public sealed record Failure(string? Email, int Attempts, string? Error);

    [FromRoute] public long Id { get; set; }
    public EditorTime Time { get; private set; } = null!;
    public CampaignRow Campaign { get; private set; } = null!;
    public List<Failure> Failures { get; private set; } = [];
    public int FailedTotal { get; private set; }
    public Pager Pager { get; private set; } = null!;
    public string? Error { get; private set; }

    /// <summary>For a scheduled campaign, the readers it would reach now.</summary>
    public int? Audience { get; private set; }

    /// <summary>Nothing changes any more: finished, no delivery open (a cancelled campaign's batch may still let go of some).</summary>
    public bool Final => Campaign.Status is CampaignStatus.Sent or CampaignStatus.Cancelled or CampaignStatus.Failed
        && Campaign.Pending == 0;

    /// <summary>"12.5" messages per second, as dashboard.js writes it.</summary>
    public static string Rate(double? rate) => rate?.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) ?? "—";

    /// <summary>"42 s", "3 min 5 s", "2 h 10 min", as dashboard.js writes it.</summary>
    public static string Duration(double? seconds)
    {
        if (seconds is not { } s) return "—";
        var whole = (long)Math.Ceiling(s);
        if (whole < 60) return $"{whole} s";
        var minutes = whole / 60;
        return minutes < 60 ? $"{minutes} min {whole % 60} s" : $"{minutes / 60} h {minutes % 60} min";
    }

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "p")] int page, CancellationToken ct)
    {
        Time = EditorTime.For(HttpContext);
        if ((await CampaignRow.LoadAsync(db, db.Campaigns.Where(c => c.Id == Id), ct)).SingleOrDefault() is not { } campaign)
        {
            TempData["Error"] = $"There is no campaign {Id}.";
            return RedirectToPage("Index");
        }
        Campaign = campaign;
        await LoadReviewAsync(ct);
        var article = await db.Campaigns.AnyAsync(c => c.Id == Id && c.Kind == CampaignKind.Article, ct);
        if (campaign.Status is CampaignStatus.Scheduled or CampaignStatus.AwaitingApproval or CampaignStatus.Returned && article)
            Audience = await CampaignAudience.OfCampaignAsync(db, Id, ct);
        var failed = db.Deliveries.Where(d => d.CampaignId == Id && d.Status == DeliveryStatus.Failed);
        FailedTotal = await failed.CountAsync(ct);
        Pager = new Pager(page, PageSize, FailedTotal, Request.Query);
        Failures = await (from d in failed
                          join s in db.Subscribers on d.SubscriberId equals s.Id into found
                          from s in found.DefaultIfEmpty()
                          orderby d.Id
                          select new Failure(s.Email, d.Attempts, d.Error)).Skip(Pager.Skip).Take(PageSize).ToListAsync(ct);
        return Page();
    }

    [RequirePermission(Permission.Send)]
    public Task<IActionResult> OnPostPauseAsync(CancellationToken ct) => ActAsync(control.PauseAsync(Id, ct), "Paused.", ct);
    [RequirePermission(Permission.Send)]
    public Task<IActionResult> OnPostResumeAsync(CancellationToken ct) => ActAsync(control.ResumeAsync(Id, ct), "Resumed.", ct);
    [RequirePermission(Permission.Prepare)] // a writer: their own campaign before approval
    public Task<IActionResult> OnPostCancelAsync(CancellationToken ct) =>
        ActAsync(control.CancelAsync(Id, ct, CampaignActor.Of(User)), "Cancelled.", ct);

    private async Task<IActionResult> ActAsync(Task<Outcome<Campaign>> action, string done, CancellationToken ct)
    {
        if ((await action).Refusal is not { } refusal)
        {
            TempData["Message"] = done;
            return RedirectToPage(new { id = Id });
        }
        var page = await OnGetAsync(1, ct);
        Error = refusal.Detail;
        return page;
    }
}
