using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Security;
using NewsletterService.Subscriptions;
using NewsletterService.Tracking;

namespace NewsletterService.Dashboard.Pages.Campaigns;

/// <summary>
/// Lists campaigns and creates one (now, or at a time in the editor's zone) through <see cref="CampaignScheduler"/>, in
/// two steps: the form, then a confirmation that shows whom it goes to. Only a post that confirms the audience it was
/// shown creates the campaign; any other post shows the confirmation (again). The form shows the audience live. A writer's
/// campaign is submitted for approval instead of sent (<see cref="CampaignApproval"/>).
/// </summary>
[RequirePermission(Permission.Read)]
public sealed class IndexModel(
    NewsletterDb db, CampaignScheduler scheduler, TimeProvider clock, IOptions<TrackingOptions> tracking) : PageModel
{
    private const int PageSize = 25;

    public EditorTime Time { get; private set; } = null!;
    public List<(long Id, string Title)> Articles { get; private set; } = [];
    public List<MailingList> MailingLists { get; private set; } = [];
    public string[] SelectedLists { get; private set; } = [];
    public List<CampaignRow> Campaigns { get; private set; } = [];
    public Pager Pager { get; private set; } = null!;
    [FromQuery] public long? ArticleId { get; set; }
    public string? When { get; private set; }
    public DateTime? SendAt { get; private set; }
    public DateTimeOffset? SendAtInstant { get; private set; }
    public string? Error { get; private set; }

    /// <summary>The tracking switches: <c>Tracking__Opens</c>/<c>Tracking__Clicks</c> on a new form, else as posted.</summary>
    public bool TrackOpens { get; private set; }
    public bool TrackClicks { get; private set; }
    public string NoCampaigns => "No campaigns yet.";

    /// <summary>Sends and schedules; without it (a writer) the form submits the campaign for approval.</summary>
    public bool CanSend => User.Can(Permission.Send);

    /// <summary>Whom the form's choice reaches now (shown under the lists).</summary>
    public CampaignAudience? Audience { get; private set; }

    /// <summary>Set when the editor is asked to confirm: the campaign is not created yet.</summary>
    public CampaignAudience? Review { get; private set; }
    public string? ReviewTitle { get; private set; }
    public string? ReviewNote { get; private set; }

    public async Task OnGetAsync([FromQuery(Name = "p")] int page, CancellationToken ct)
    {
        if (Time is null) (TrackOpens, TrackClicks) = (tracking.Value.Opens, tracking.Value.Clicks); // a new form, not a post
        Time ??= EditorTime.For(HttpContext);
        Articles = (await db.Articles.AsNoTracking().Where(a => a.UnpublishedAt == null)
            .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id).Take(200)
            .Select(a => new { a.Id, a.Title }).ToListAsync(ct)).Select(a => (a.Id, a.Title)).ToList();
        MailingLists = await db.Lists.AsNoTracking().OrderBy(l => l.Name).ToListAsync(ct);
        Pager = new Pager(page, PageSize, await db.Campaigns.CountAsync(ct), Request.Query);
        Campaigns = await CampaignRow.LoadAsync(db, db.Campaigns.OrderByDescending(c => c.Id).Skip(Pager.Skip).Take(PageSize), ct);
        var chosen = MailingLists.Where(l => SelectedLists.Contains(l.Slug)).ToList();
        Audience ??= Articles.Count == 0 ? null : await CampaignAudience.CountAsync(db, chosen, ct);
    }

    /// <summary>The audience of a choice of lists, as the form shows it (dashboard.js asks for it when the choice changes).</summary>
    public async Task<IActionResult> OnGetAudienceAsync(long? articleId, string[]? lists, CancellationToken ct)
    {
        var dry = await scheduler.DryRunAsync(new CampaignScheduler.CreateCampaign(articleId, null, lists), ct);
        return dry.Value is { } audience ? Partial("_Audience", audience) : BadRequest(dry.Refusal!.Detail);
    }

    /// <param name="confirm">
    /// The audience the editor confirmed (the confirmation's button); without it, or when it has changed since, nothing is created.
    /// </param>
    /// <param name="change">Back from the confirmation to the form, with its values.</param>
    [RequirePermission(Permission.Prepare)]
    public async Task<IActionResult> OnPostAsync(long? articleId, string[]? lists, string? when, string? sendAt, string? timeZone,
        string? confirm, string? change, bool trackOpens, bool trackClicks, CancellationToken ct)
    {
        SelectedLists = lists ?? [];
        (TrackOpens, TrackClicks) = (trackOpens, trackClicks);
        Time = EditorTime.Find(timeZone) is { } zone ? new EditorTime(zone) : EditorTime.For(HttpContext);
        (ArticleId, When, SendAt) = (articleId, when, ParseLocal(sendAt));
        if (when == "later")
        {
            if (SendAt is null) Error = "Choose the date and time to send at.";
            else if ((SendAtInstant = Time.ToInstant(SendAt.Value)) <= clock.GetUtcNow())
                Error = $"{Time.Show(SendAtInstant.Value.UtcDateTime)} ({Time.ZoneName}) has passed: "
                    + "choose a time in the future, or send now.";
        }
        var request = new CampaignScheduler.CreateCampaign(
            articleId, SendAtInstant, SelectedLists, new CampaignScheduler.TrackingChoice(trackOpens, trackClicks));
        if (Error is null && change is null)
        {
            var dry = await scheduler.DryRunAsync(request, ct);
            if (dry.Refusal is { } refusal) Error = refusal.Detail;
            else if (confirm != dry.Value!.Audience.ToString(CultureInfo.InvariantCulture))
            {
                if (confirm is not null)
                    ReviewNote = $"Since you looked, the audience has changed from {confirm} to {dry.Value.Audience:N0} readers.";
                Review = Audience = dry.Value;
            }
            else
            {
                var actor = CampaignActor.Of(User);
                var created = await scheduler.CreateAsync(request, ct, writer: actor.CanSend ? null : actor);
                if (created.Value is { } campaign) return RedirectToPage("Details", new { id = campaign.Id });
                Error = created.Refusal!.Detail;
            }
        }
        await OnGetAsync(1, ct);
        if (Review is not null) ReviewTitle = await db.Articles.Where(a => a.Id == articleId).Select(a => a.Title).FirstOrDefaultAsync(ct);
        return Page();
    }

    /// <summary>A wall-clock time as a <c>datetime-local</c> input's value.</summary>
    public static string? LocalInput(DateTime? local) => local?.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The value of a <c>datetime-local</c> input: a wall-clock time without a zone.</summary>
    public static DateTime? ParseLocal(string? value) =>
        DateTime.TryParseExact(
            value, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? local : null;
}
