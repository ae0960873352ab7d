using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsletterService.Accounts;
using NewsletterService.Security;

namespace NewsletterService.Dashboard.Pages.Account;

/// <summary>
/// Setting up two-factor sign-in: the authenticator key as a QR code and typed by hand; a code from the app proves
/// it was taken and turns two-factor sign-in on, and the recovery codes are shown once.
/// </summary>
[RequirePermission(Permission.Read)]
public sealed class TwoFactorModel(AccountSecurity security, TwoFactorRequirement requirement) : PageModel
{
    public AuthenticatorSetup Setup { get; private set; } = null!;
    public bool Required { get; private set; }
    public IReadOnlyList<string> RecoveryCodes { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        var me = await security.CurrentAsync(User);
        if (me.TwoFactorEnabled) return RedirectToPage("/Account/Index");
        Setup = await security.SetupAsync(me);
        Required = await requirement.IsOnAsync(ct);
        return Page();
    }

    [RequirePermission(Permission.Read)]
    public async Task<IActionResult> OnPostAsync(string? code, CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        var me = await security.CurrentAsync(User);
        if (me.TwoFactorEnabled) return RedirectToPage("/Account/Index");
        var (check, codes) = await security.EnableAsync(me, code);
        if (check == CodeCheck.Ok)
        {
            RecoveryCodes = codes; // shown once, on this answer only
            return Page();
        }
        Error = IndexModel.Wrong(check);
        return await OnGetAsync(ct);
    }
}
