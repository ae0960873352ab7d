using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsletterService.Accounts;
using NewsletterService.Security;

namespace NewsletterService.Dashboard.Pages.Account;

/// <summary>
/// One's own API keys: each acts on <c>/api</c> as this account, with its role of the moment; shown once when made,
/// revoked here, and dead with the account (disabled or removed).
/// </summary>
[RequirePermission(Permission.Read)]
public sealed class KeysModel(AccountApiKeys keys, UserManager<Accounts.Account> users) : PageModel
{
    public EditorTime Time { get; private set; } = null!;
    public List<AccountApiKeys.KeyView> Keys { get; private set; } = [];
    public string? NewKey { get; private set; }
    public string? Name { get; private set; }
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    private string Me => users.GetUserId(User)!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        Time = EditorTime.For(HttpContext);
        Keys = await keys.OfAsync(Me, ct);
    }

    [RequirePermission(Permission.Read)]
    public async Task<IActionResult> OnPostCreateAsync(string? name, CancellationToken ct)
    {
        var outcome = await keys.CreateAsync(Me, User.Identity!.Name!, name, ct);
        if (outcome.Refusal is { } refusal)
        {
            Name = name;
            Errors = refusal.ByField;
        }
        else NewKey = outcome.Value.Key; // shown on this answer only
        await OnGetAsync(ct);
        return Page();
    }

    [RequirePermission(Permission.Read)]
    public async Task<IActionResult> OnPostRevokeAsync(long id, CancellationToken ct)
    {
        if (await keys.RevokeAsync(Me, User.Identity!.Name!, id, ct)) TempData["Message"] = "Revoked the key: it no longer works.";
        else TempData["Error"] = "There is no such key of yours.";
        return RedirectToPage();
    }
}
