using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsletterService.Accounts;
using NewsletterService.Security;

namespace NewsletterService.Dashboard.Pages.Account;

/// <summary>
/// "Your account", for every role: change one's own password, and two-factor sign-in (set it up on
/// <see cref="TwoFactorModel"/>, make new recovery codes, turn it off: both need a current code).
/// </summary>
[RequirePermission(Permission.Read)]
public sealed class IndexModel(AccountSecurity security, TwoFactorRequirement requirement) : PageModel
{
    public Accounts.Account Me { get; private set; } = null!;
    public bool Required { get; private set; }
    public int RecoveryCodesLeft { get; private set; }
    public IReadOnlyList<string> NewRecoveryCodes { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        Me = await security.CurrentAsync(User);
        Required = await requirement.IsOnAsync(ct);
        RecoveryCodesLeft = Me.TwoFactorEnabled ? await security.RecoveryCodesLeftAsync(Me) : 0;
    }

    [RequirePermission(Permission.Read)]
    public async Task<IActionResult> OnPostPasswordAsync(string? current, string? password, string? confirm, CancellationToken ct)
    {
        if (password != confirm) Errors["confirm"] = "The two new passwords differ.";
        else
        {
            var result = await security.ChangePasswordAsync(await security.CurrentAsync(User), current, password, ct);
            if (result.Succeeded)
            {
                TempData["Message"] = "Your password is changed. Your other sessions have ended.";
                return RedirectToPage();
            }
            foreach (var error in result.Errors)
                Errors[error.Code == "PasswordMismatch" ? "current" : "password"] = error.Description;
        }
        await OnGetAsync(ct);
        return Page();
    }

    [RequirePermission(Permission.Read)]
    public async Task<IActionResult> OnPostRegenerateAsync(string? code, CancellationToken ct)
    {
        var (check, codes) = await security.RegenerateCodesAsync(await security.CurrentAsync(User), code);
        if (check != CodeCheck.Ok) Errors["regenerate"] = Wrong(check);
        NewRecoveryCodes = codes;
        await OnGetAsync(ct);
        return Page(); // the new codes are shown once, on this answer only
    }

    [RequirePermission(Permission.Read)]
    public async Task<IActionResult> OnPostDisableAsync(string? code, CancellationToken ct)
    {
        switch (await security.DisableAsync(await security.CurrentAsync(User), code, ct))
        {
            case CodeCheck.Ok:
                TempData["Message"] = "Two-factor sign-in is off. Your authenticator app's entry no longer works; delete it.";
                return RedirectToPage();
            case null:
                Errors["disable"] = "Two-factor sign-in is required for every account: it cannot be turned off.";
                break;
            case var check:
                Errors["disable"] = Wrong(check.Value);
                break;
        }
        await OnGetAsync(ct);
        return Page();
    }

    internal static string Wrong(CodeCheck check) => check == CodeCheck.LockedOut
        ? "Too many wrong codes: wait a few minutes before you try again."
        : "Wrong code. Enter the current code from your authenticator app.";
}
