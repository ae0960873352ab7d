using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Data;
using NewsletterService.Feeds;
using NewsletterService.Security;
using NewsletterService.Subscriptions;

namespace NewsletterService.Dashboard.Pages.Feeds;

/// <summary>Registered feeds and how their last poll went; register one, poll one now, delete one, as <c>/api/feeds</c> does.</summary>
[RequirePermission(Permission.Read)]
public sealed class IndexModel(NewsletterDb db, FeedCatalog feeds, IOptions<FeedOptions> options, ILogger<IndexModel> log) : PageModel
{
    public EditorTime Time { get; private set; } = null!;
    public List<FeedCatalog.FeedView> Feeds { get; private set; } = [];
    public Dictionary<string, MailingList> MailingLists { get; private set; } = [];
    public int PollMinutes => options.Value.PollMinutes;
    public string? FeedUrl { get; private set; }
    public string[] SelectedLists { get; private set; } = [];
    public bool AutoSend { get; private set; }
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    public string ListName(string slug) => MailingLists.GetValueOrDefault(slug)?.Name ?? $"{slug} (deleted)";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Time = EditorTime.For(HttpContext);
        Feeds = await feeds.AllAsync(ct);
        MailingLists = await SubscriptionChoices.ListsBySlugAsync(db, ct);
    }

    [RequirePermission(Permission.Send)]
    public async Task<IActionResult> OnPostAsync(string? url, string[]? lists, bool autoSend, CancellationToken ct)
    {
        var outcome = await feeds.CreateAsync(new FeedCatalog.FeedInput(url, lists, autoSend), ct);
        if (outcome.Value is { } feed)
        {
            log.LogInformation("Dashboard registered feed {FeedId} at {Url}", feed.Id, feed.Url);
            TempData["Message"] = $"Registered {feed.Url}. Its first poll runs in a moment, then every {PollMinutes} minutes; "
                + "reload to see how it went."
                + (feed.AutoSend ? " The items it has now are imported without being sent; new ones after that are sent." : "");
            return RedirectToPage();
        }
        (FeedUrl, SelectedLists, AutoSend) = (url, lists ?? [], autoSend);
        Errors = outcome.Refusal!.ByField;
        await OnGetAsync(ct);
        return Page();
    }

    [RequirePermission(Permission.Send)]
    public async Task<IActionResult> OnPostPollAsync(long id, CancellationToken ct)
    {
        var before = await db.Feeds.Where(f => f.Id == id).Select(f => (int?)f.ItemsImported).FirstOrDefaultAsync(ct);
        var outcome = await feeds.PollAsync(id, ct);
        if (outcome.Value is not { } feed) TempData["Error"] = outcome.Refusal!.Detail;
        else if (feed.LastError is { } error) TempData["Error"] = $"{feed.Url} could not be read: {error}";
        else
        {
            var added = feed.ItemsImported - (before ?? 0);
            TempData["Message"] = $"Polled {feed.Url}: {added} new article{(added == 1 ? "" : "s")}, {feed.ItemsImported} imported in all.";
        }
        return RedirectToPage();
    }

    [RequirePermission(Permission.Send)]
    public async Task<IActionResult> OnPostDeleteAsync(long id, CancellationToken ct)
    {
        var url = await db.Feeds.Where(f => f.Id == id).Select(f => f.Url).FirstOrDefaultAsync(ct);
        if (await feeds.DeleteAsync(id, ct) is { } refusal) TempData["Error"] = refusal.Detail;
        else
        {
            log.LogInformation("Dashboard deleted feed {FeedId} at {Url}", id, url);
            TempData["Message"] = $"Deleted the feed {url}. The articles it imported stay.";
        }
        return RedirectToPage();
    }
}
