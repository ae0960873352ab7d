using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsletterService.Security;

namespace NewsletterService.Dashboard.Pages;

/// <summary>Logging out is a POST (with the antiforgery token), so that a link elsewhere cannot log an editor out.</summary>
public sealed class LogoutModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/admin");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(AdminLogin.Scheme);
        return LocalRedirect(AdminLogin.LoginPath);
    }
}
