using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsletterService.Accounts;
using NewsletterService.Infrastructure;

namespace NewsletterService.Dashboard.Pages.Password;

/// <summary>
/// A page opened from a mailed link (<c>?user=…&amp;token=…</c>) that sets a password: a link that does not work (used,
/// expired, cut short) is told so up front and on submit, with the same words.
/// </summary>
public abstract class PasswordLinkPage : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user")] public string? UserId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    [BindProperty] public string? NewPassword { get; set; }
    [BindProperty] public string? Repeated { get; set; }
    public bool Broken { get; private set; }
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    public abstract string Heading { get; }

    protected abstract Task<bool> LinkWorksAsync();

    public async Task OnGetAsync() => Broken = !await LinkWorksAsync();

    /// <summary>The page again with what went wrong, or null when the password was set.</summary>
    protected async Task<IActionResult?> SetAsync(Task<Refusal?> setting)
    {
        var refusal = await setting;
        NewPassword = Repeated = null;
        if (refusal is null) return null;
        Broken = refusal.Detail == AccountPasswords.LinkRefused;
        Errors = refusal.ByField;
        return Page();
    }
}
