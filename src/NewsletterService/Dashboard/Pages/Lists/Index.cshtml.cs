using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsletterService.Security;
using NewsletterService.Subscriptions;

namespace NewsletterService.Dashboard.Pages.Lists;

/// <summary>Every list with its members; create, rename or delete one, through the same <see cref="ListCatalog"/> as the API.</summary>
[RequirePermission(Permission.Read)]
public sealed class IndexModel(ListCatalog catalog, ILogger<IndexModel> log) : PageModel
{
    public EditorTime Time { get; private set; } = null!;
    public List<ListCatalog.ListView> MailingLists { get; private set; } = [];
    public Dictionary<string, string?> Values { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        Time = EditorTime.For(HttpContext);
        MailingLists = await catalog.AllAsync(ct);
    }

    [RequirePermission(Permission.ManageSubscribers)]
    public async Task<IActionResult> OnPostAsync(string? slug, string? name, CancellationToken ct)
    {
        var outcome = await catalog.CreateAsync(new ListCatalog.CreateList(slug, name), ct);
        if (outcome.Value is { } created)
        {
            log.LogInformation("Dashboard created list {Slug}", created.Slug);
            TempData["Message"] = $"Created the list “{created.Name}” ({created.Slug}).";
            return RedirectToPage();
        }
        Values = new() { ["slug"] = slug, ["name"] = name };
        Errors = outcome.Refusal!.ByField;
        await OnGetAsync(ct);
        return Page();
    }

    [RequirePermission(Permission.ManageSubscribers)]
    public async Task<IActionResult> OnPostRenameAsync(string slug, string? name, CancellationToken ct)
    {
        var outcome = await catalog.RenameAsync(slug, new ListCatalog.RenameList(name), ct);
        if (outcome.Value is { } renamed) TempData["Message"] = $"The list {slug} is now called “{renamed.Name}”.";
        else TempData["Error"] = $"The list {slug} was not renamed: {outcome.Refusal!.Detail}";
        return RedirectToPage();
    }

    [RequirePermission(Permission.ManageSubscribers)]
    public async Task<IActionResult> OnPostDeleteAsync(string slug, CancellationToken ct)
    {
        if (await catalog.DeleteAsync(slug, ct) is { } refusal) TempData["Error"] = refusal.Detail;
        else
        {
            log.LogInformation("Dashboard deleted list {Slug}", slug);
            TempData["Message"] = $"Deleted the list {slug}. Its members are still subscribed; they are simply no longer in it.";
        }
        return RedirectToPage();
    }
}
