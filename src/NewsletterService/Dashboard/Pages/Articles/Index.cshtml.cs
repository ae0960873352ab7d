using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Articles;
using NewsletterService.Data;

namespace NewsletterService.Dashboard.Pages.Articles;

public sealed class IndexModel(NewsletterDb db, TimeProvider clock) : PageModel
{
    private const int PageSize = 25;
    private const int MaxImportBytes = 1024 * 1024;

    public EditorTime Time { get; private set; } = null!;
    public List<Article> Articles { get; private set; } = [];
    public int Total { get; private set; }
    public Pager Pager { get; private set; } = null!;
    public string? Text { get; private set; }
    public List<string> ImportErrors { get; } = [];

    public async Task OnGetAsync([FromQuery(Name = "p")] int page, CancellationToken ct)
    {
        Time = EditorTime.For(HttpContext);
        Total = await db.Articles.CountAsync(ct);
        Pager = new Pager(page, PageSize, Total, Request.Query);
        Articles = await db.Articles.AsNoTracking().OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id)
            .Skip(Pager.Skip).Take(PageSize).ToListAsync(ct);
    }

    public async Task<IActionResult> OnPostImportAsync(string? text, IFormFile? file, CancellationToken ct)
    {
        if (file is { Length: > 0 })
        {
            if (file.Length > MaxImportBytes) ImportErrors.Add("The file is larger than 1 MiB.");
            else
            {
                using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                text = await reader.ReadToEndAsync(ct);
            }
        }
        if (ImportErrors.Count == 0 && string.IsNullOrWhiteSpace(text)) ImportErrors.Add("Paste the article's text or choose a file.");
        if (ImportErrors.Count == 0 && text!.Length > MaxImportBytes) ImportErrors.Add("The article is larger than 1 MiB.");
        if (ImportErrors.Count == 0)
        {
            if (!PlainTextArticle.TryParse(text!, out var parsed, out var errors)) ImportErrors.AddRange(errors.SelectMany(e => e.Value));
            else
            {
                var result = await ArticlesApi.CreateAsync(new ArticlesApi.ArticleInput(parsed.Title, null, parsed.ImageCredit, parsed.Body, null), db, clock, ct);
                if (ApiOutcome.Value<ArticlesApi.ArticleView>(result) is { } created)
                {
                    TempData["Message"] = $"Imported “{created.Title}”. This is the email as subscribers will see it.";
                    return RedirectToPage("Preview", new { id = created.Id });
                }
                ImportErrors.Add(ApiOutcome.Error(result) ?? "The article could not be saved.");
            }
        }
        Text = text;
        await OnGetAsync(1, ct);
        return Page();
    }
}
