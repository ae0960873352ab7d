using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsletterService.Articles;
using NewsletterService.Data;

namespace NewsletterService.Dashboard.Pages.Articles;

/// <summary>Writes a new article in Markdown or edits one; saving goes through <see cref="ArticleStore"/> as the API's does.</summary>
public sealed class EditModel(NewsletterDb db, TimeProvider clock) : PageModel
{
    [FromRoute] public long? Id { get; set; }
    public Dictionary<string, string?> Values { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Id is not { } id) return Page();
        if (await db.Articles.FindAsync([id], ct) is not { } article) return ArticleMissing(id);
        Values = new() { ["title"] = article.Title, ["byline"] = article.Byline, ["imageCredit"] = article.ImageCredit, ["body"] = article.Body };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? title, string? byline, string? imageCredit, string? body, CancellationToken ct)
    {
        var input = new ArticleStore.Input(title, byline, imageCredit, body, null);
        var outcome = Id is { } id
            ? await ArticleStore.UpdateAsync(db, id, input, ct) : await ArticleStore.CreateAsync(db, clock, input, ct);
        if (outcome.Value is { } saved)
        {
            TempData["Message"] = $"Saved “{saved.Title}”.";
            return RedirectToPage("Preview", new { id = saved.Id });
        }
        Values = new() { ["title"] = title, ["byline"] = byline, ["imageCredit"] = imageCredit, ["body"] = body };
        Errors = outcome.Refusal!.ByField;
        return Page();
    }

    private RedirectToPageResult ArticleMissing(long id)
    {
        TempData["Error"] = $"There is no article {id}.";
        return RedirectToPage("Index");
    }
}
