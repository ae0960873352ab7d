using Hangfire;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Bounces;
using NewsletterService.Data;
using NewsletterService.Security;

namespace NewsletterService.Dashboard.Pages.Bounces;

/// <summary>
/// Recent bounces and complaints, newest first, a page at a time; how each configured mailbox was last read; and "check now",
/// which queues the mailbox job at once instead of at its next turn.
/// </summary>
[RequirePermission(Permission.Read)]
public sealed class IndexModel(
    NewsletterDb db, IOptions<MailboxesOptions> options, IBackgroundJobClient jobs, ILogger<IndexModel> log) : PageModel
{
    private const int PageSize = 50;

    public sealed record EventRow(BounceEvent Event, string? CampaignTitle);

    public sealed record MailboxRow(string Name, MailboxSettings Settings, MailboxState? State);

    public EditorTime Time { get; private set; } = null!;
    public List<EventRow> Events { get; private set; } = [];
    public int Total { get; private set; }
    public Pager Pager { get; private set; } = null!;
    public List<MailboxRow> Mailboxes { get; private set; } = [];
    public TimeSpan PollInterval => options.Value.PollInterval;

    public async Task OnGetAsync([FromQuery(Name = "p")] int page, CancellationToken ct)
    {
        Time = EditorTime.For(HttpContext);
        Total = await db.BounceEvents.CountAsync(ct);
        Pager = new Pager(page, PageSize, Total, Request.Query);
        var events = await db.BounceEvents.AsNoTracking().OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip(Pager.Skip).Take(PageSize).ToListAsync(ct);
        var ids = events.Where(e => e.CampaignId is not null).Select(e => e.CampaignId!.Value).Distinct().ToList();
        var titles = await (from c in db.Campaigns.AsNoTracking().Where(c => ids.Contains(c.Id))
                            join a in db.Articles on c.ArticleId equals a.Id into articles
                            from a in articles.DefaultIfEmpty()
                            select new { Campaign = c, Title = a != null ? a.Title : null }).ToListAsync(ct);
        var byId = titles.ToDictionary(t => t.Campaign.Id, t => CampaignRow.TitleOf(t.Campaign, t.Title));
        Events = events.Select(e => new EventRow(e, e.CampaignId is { } id ? byId.GetValueOrDefault(id) : null)).ToList();

        var configured = options.Value.Configured().ToList();
        var names = configured.Select(m => m.Name).ToList();
        var states = await db.MailboxStates.AsNoTracking().Where(m => names.Contains(m.Name)).ToDictionaryAsync(m => m.Name, ct);
        Mailboxes = configured.Select(m => new MailboxRow(m.Name, m.Settings, states.GetValueOrDefault(m.Name))).ToList();
    }

    /// <summary>
    /// Queues one read of every configured mailbox now; each is still read under its lease, so a poll under way is not doubled.
    /// </summary>
    [RequirePermission(Permission.ManageSubscribers)]
    public RedirectToPageResult OnPostCheck()
    {
        var names = options.Value.Configured().Select(m => m.Name).ToList();
        if (names.Count == 0)
        {
            TempData["Error"] = "No mailbox is configured: set Mailboxes__Bounces__Host (and its login) to read bounces.";
            return RedirectToPage();
        }
        var job = jobs.Enqueue<MailboxPoller>(p => p.PollAllAsync(CancellationToken.None));
        log.LogInformation("Dashboard queued job {JobId} to check the mailboxes {Mailboxes}", job, string.Join(", ", names));
        TempData["Message"] = $"Checking the {string.Join(" and ", names)} mailbox{(names.Count == 1 ? "" : "es")} now. "
            + "Reload in a moment to see what was read.";
        return RedirectToPage();
    }
}
