using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Subscriptions;

namespace NewsletterService.Dashboard.Pages.Campaigns;

/// <summary>Lists campaigns and creates one (now, or at a time in the editor's zone) through <see cref="CampaignScheduler"/>.</summary>
public sealed class IndexModel(NewsletterDb db, CampaignScheduler scheduler, TimeProvider clock) : PageModel
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
    public string? Error { get; private set; }
    public string NoCampaigns => "No campaigns yet.";

    public async Task OnGetAsync([FromQuery(Name = "p")] int page, CancellationToken ct)
    {
        Time ??= EditorTime.For(HttpContext);
        Articles = (await db.Articles.AsNoTracking().OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id).Take(200)
            .Select(a => new { a.Id, a.Title }).ToListAsync(ct)).Select(a => (a.Id, a.Title)).ToList();
        MailingLists = await db.Lists.AsNoTracking().OrderBy(l => l.Name).ToListAsync(ct);
        Pager = new Pager(page, PageSize, await db.Campaigns.CountAsync(ct), Request.Query);
        Campaigns = await CampaignRow.LoadAsync(db, db.Campaigns.OrderByDescending(c => c.Id).Skip(Pager.Skip).Take(PageSize), ct);
    }

    public async Task<IActionResult> OnPostAsync(long? articleId, string[]? lists, string? when, string? sendAt, string? timeZone, CancellationToken ct)
    {
        SelectedLists = lists ?? [];
        Time = EditorTime.Find(timeZone) is { } zone ? new EditorTime(zone) : EditorTime.For(HttpContext);
        (ArticleId, When, SendAt) = (articleId, when, ParseLocal(sendAt));
        DateTimeOffset? at = null;
        if (when == "later")
        {
            if (SendAt is null) Error = "Choose the date and time to send at.";
            else if ((at = Time.ToInstant(SendAt.Value)) <= clock.GetUtcNow()) Error = $"{Time.Show(at.Value.UtcDateTime)} ({Time.ZoneName}) has passed: choose a time in the future, or send now.";
        }
        if (Error is null)
        {
            var created = await scheduler.CreateAsync(new CampaignScheduler.CreateCampaign(articleId, at, SelectedLists), ct);
            if (created.Value is { } campaign)
            {
                TempData["Message"] = at is null ? "The campaign is sending." : $"The campaign is scheduled for {Time.Show(at.Value.UtcDateTime)} ({Time.ZoneName}).";
                return RedirectToPage("Details", new { id = campaign.Id });
            }
            Error = created.Refusal!.Detail;
        }
        await OnGetAsync(1, ct);
        return Page();
    }

    /// <summary>The value of a <c>datetime-local</c> input: a wall-clock time without a zone.</summary>
    private static DateTime? ParseLocal(string? value) =>
        DateTime.TryParseExact(value, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? local : null;
}
