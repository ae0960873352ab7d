using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsletterService.Audit;
using NewsletterService.Security;

namespace NewsletterService.Dashboard.Pages;

/// <summary>
/// Logging out is a POST (with the antiforgery token), so that a link elsewhere cannot log an editor out. It ends the
/// session on the server: a copy of the cookie is refused afterwards by every web process.
/// </summary>
public sealed class LogoutModel(AdminSessions sessions, AuditLog audit) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/admin");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await sessions.EndAsync(User, ct);
        await audit.RecordAsync("sign-out", null);
        await HttpContext.SignOutAsync(AdminLogin.Scheme);
        return LocalRedirect(AdminLogin.LoginPath);
    }
}
