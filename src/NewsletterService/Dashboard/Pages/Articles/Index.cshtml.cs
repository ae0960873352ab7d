using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Articles;
using NewsletterService.Audit;
using NewsletterService.Data;
using NewsletterService.Security;

namespace NewsletterService.Dashboard.Pages.Articles;

[RequirePermission(Permission.Read)]
public sealed class IndexModel(NewsletterDb db, TimeProvider clock, AuditLog audit) : PageModel
{
    private const int PageSize = 25;

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

    [RequirePermission(Permission.Prepare)]
    public async Task<IActionResult> OnPostImportAsync(string? text, IFormFile? file, CancellationToken ct)
    {
        if (file is { Length: > ArticleStore.MaxImportSize }) ImportErrors.Add("The file is larger than 1 MiB.");
        else if (file is { Length: > 0 })
        {
            using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            text = await reader.ReadToEndAsync(ct);
        }
        if (ImportErrors.Count == 0 && string.IsNullOrWhiteSpace(text)) ImportErrors.Add("Paste the article's text or choose a file.");
        if (ImportErrors.Count == 0)
        {
            var imported = await ArticleStore.ImportAsync(db, clock, text!, ct);
            if (imported.Value is { } created)
            {
                await audit.RecordAsync("article.import", $"article {created.Id}", new { created.Title });
                TempData["Message"] = $"Imported “{created.Title}”. This is the email as subscribers will see it.";
                return RedirectToPage("Preview", new { id = created.Id });
            }
            ImportErrors.AddRange(imported.Refusal!.ByField.Values);
        }
        Text = text;
        await OnGetAsync(1, ct);
        return Page();
    }
}
