using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Articles;
using NewsletterService.Audit;
using NewsletterService.Data;
using NewsletterService.Security;
using NewsletterService.Subscriptions;

namespace NewsletterService.Dashboard.Pages.Articles;

/// <summary>
/// Writes a new article in Markdown or edits one (its lists, publish date, subject and preheader too), and unpublishes,
/// republishes or deletes it; everything goes through <see cref="ArticleStore"/> as the API's does.
/// </summary>
[RequirePermission(Permission.Read)]
public sealed class EditModel(NewsletterDb db, TimeProvider clock, AuditLog audit, ILogger<EditModel> log) : PageModel
{
    [FromRoute] public long? Id { get; set; }
    public Dictionary<string, string?> Values { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();
    public EditorTime Time { get; private set; } = null!;
    public List<MailingList> MailingLists { get; private set; } = [];
    public string[] SelectedLists { get; private set; } = [];
    public DateTime? UnpublishedAt { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadChoicesAsync(timeZone: null, ct);
        if (Id is not { } id) return Page();
        if (await db.Articles.AsNoTracking().Include(a => a.Lists).FirstOrDefaultAsync(a => a.Id == id, ct) is not { } article)
            return ArticleMissing(id);
        Values = new()
        {
            ["title"] = article.Title, ["byline"] = article.Byline, ["imageCredit"] = article.ImageCredit, ["subject"] = article.Subject,
            ["preheader"] = article.Preheader, ["body"] = article.Body,
            ["publishedAt"] = Time.Local(article.PublishedAt).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
        };
        var listIds = article.Lists.Select(l => l.ListId).ToHashSet();
        SelectedLists = MailingLists.Where(l => listIds.Contains(l.Id)).Select(l => l.Slug).ToArray();
        UnpublishedAt = article.UnpublishedAt;
        return Page();
    }

    [RequirePermission(Permission.Prepare)]
    public async Task<IActionResult> OnPostAsync(string? title, string? byline, string? imageCredit, string? subject, string? preheader,
        string? body, string? publishedAt, string? timeZone, string[]? lists, CancellationToken ct)
    {
        await LoadChoicesAsync(timeZone, ct);
        Values = new()
        {
            ["title"] = title, ["byline"] = byline, ["imageCredit"] = imageCredit, ["subject"] = subject, ["preheader"] = preheader,
            ["body"] = body, ["publishedAt"] = publishedAt,
        };
        SelectedLists = lists?.Where(l => !string.IsNullOrEmpty(l)).ToArray() ?? [];
        DateTimeOffset? published = null;
        if (!string.IsNullOrWhiteSpace(publishedAt))
        {
            if (DateTime.TryParseExact(publishedAt, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture,
                    DateTimeStyles.None, out var local)) published = Time.ToInstant(local);
            else
            {
                Errors = new Dictionary<string, string> { ["publishedAt"] = "Publish date must be a date and a time." };
                return Page();
            }
        }
        var input = new ArticleStore.Input(title, byline, imageCredit, body, published,
            Request.Form.ContainsKey("lists") ? SelectedLists : null, subject, preheader); // a form without lists keeps the article's
        var outcome = Id is { } id
            ? await ArticleStore.UpdateAsync(db, id, input, ct) : await ArticleStore.CreateAsync(db, clock, input, ct);
        if (outcome.Value is { } saved)
        {
            TempData["Message"] = $"Saved “{saved.Title}”.";
            return RedirectToPage("Preview", new { id = saved.Id });
        }
        Errors = outcome.Refusal!.ByField;
        UnpublishedAt = Id is null ? null : await db.Articles.Where(a => a.Id == Id).Select(a => a.UnpublishedAt).FirstOrDefaultAsync(ct);
        return Page();
    }

    [RequirePermission(Permission.Prepare)]
    public async Task<IActionResult> OnPostUnpublishAsync(long id, CancellationToken ct) =>
        Done(id, await ArticleStore.UnpublishAsync(db, clock, id, ct), a => $"Unpublished “{a.Title}”: it is off the web, "
            + "in no digest, and cannot be sent until you publish it again.");

    [RequirePermission(Permission.Prepare)]
    public async Task<IActionResult> OnPostPublishAsync(long id, CancellationToken ct) =>
        Done(id, await ArticleStore.PublishAsync(db, id, ct), a => $"Published “{a.Title}” again.");

    [RequirePermission(Permission.Prepare)]
    public async Task<IActionResult> OnPostDeleteAsync(long id, CancellationToken ct)
    {
        var title = await db.Articles.Where(a => a.Id == id).Select(a => a.Title).FirstOrDefaultAsync(ct);
        if (await ArticleStore.DeleteAsync(db, id, ct) is { } refusal)
        {
            TempData["Error"] = refusal.Detail;
            return title is null ? RedirectToPage("Index") : RedirectToPage(new { id });
        }
        log.LogInformation("Dashboard deleted article {ArticleId}", id);
        await audit.RecordAsync("article.delete", $"article {id}", new { title });
        TempData["Message"] = $"Deleted “{title}”.";
        return RedirectToPage("Index");
    }

    private IActionResult Done(long id, Infrastructure.Outcome<Article> outcome, Func<Article, string> message)
    {
        if (outcome.Value is { } article) TempData["Message"] = message(article);
        else TempData["Error"] = outcome.Refusal!.Detail;
        return outcome.Refusal?.Kind == Infrastructure.RefusalKind.NotFound ? RedirectToPage("Index") : RedirectToPage(new { id });
    }

    private async Task LoadChoicesAsync(string? timeZone, CancellationToken ct)
    {
        Time = EditorTime.Find(timeZone) is { } zone ? new EditorTime(zone) : EditorTime.For(HttpContext);
        MailingLists = (await SubscriptionChoices.ListsBySlugAsync(db, ct)).Values.ToList();
    }

    private RedirectToPageResult ArticleMissing(long id)
    {
        TempData["Error"] = $"There is no article {id}.";
        return RedirectToPage("Index");
    }
}
