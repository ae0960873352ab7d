using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsletterService.Accounts;
using NewsletterService.Audit;
using NewsletterService.Security;

namespace NewsletterService.Dashboard.Pages;

/// <summary>
/// Logging out is a POST (with the antiforgery token), so that a link elsewhere cannot log an editor out. It ends the
/// session on the server: a copy of the cookie is refused afterwards by every web process.
/// </summary>
[RequirePermission(Permission.Read)]
public sealed class LogoutModel(AccountSignInManager signIn, AuditLog audit) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/admin");

    [RequirePermission(Permission.Read)]
    public async Task<IActionResult> OnPostAsync()
    {
        await audit.RecordAsync("sign-out", null);
        await signIn.SignOutAsync();
        return LocalRedirect(AdminLogin.LoginPath);
    }
}
