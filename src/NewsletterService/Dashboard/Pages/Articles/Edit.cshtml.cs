using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsletterService.Articles;
using NewsletterService.Data;

namespace NewsletterService.Dashboard.Pages.Articles;

/// <summary>Writes a new article in Markdown or edits one; saving goes through the admin API's own handlers.</summary>
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
        var input = new ArticlesApi.ArticleInput(title, byline, imageCredit, body, null);
        var result = Id is { } id ? await ArticlesApi.UpdateAsync(id, input, db, ct) : await ArticlesApi.CreateAsync(input, db, clock, ct);
        if (ApiOutcome.Value<ArticlesApi.ArticleView>(result) is { } saved)
        {
            TempData["Message"] = $"Saved “{saved.Title}”.";
            return RedirectToPage("Preview", new { id = saved.Id });
        }
        Values = new() { ["title"] = title, ["byline"] = byline, ["imageCredit"] = imageCredit, ["body"] = body };
        Errors = ApiOutcome.Errors(result);
        return Page();
    }

    private RedirectToPageResult ArticleMissing(long id)
    {
        TempData["Error"] = $"There is no article {id}.";
        return RedirectToPage("Index");
    }
}
