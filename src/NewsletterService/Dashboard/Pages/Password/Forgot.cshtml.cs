using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using NewsletterService.Accounts;

namespace NewsletterService.Dashboard.Pages.Password;

/// <summary>"Forgot your password?": the same answer whether the address has an account or not; the mail goes out from a job.</summary>
[EnableRateLimiting(AccountsRegistration.ResetRateLimit)]
public sealed class ForgotModel(AccountPasswords passwords) : PageModel
{
    [BindProperty] public string? Email { get; set; }
    public bool Sent { get; private set; }

    public void OnGet() { }

    public IActionResult OnPost()
    {
        if (string.IsNullOrWhiteSpace(Email))
        {
            ModelState.AddModelError(nameof(Email), "Type the address you sign in with.");
            return Page();
        }
        passwords.RequestReset(Email);
        Sent = true;
        return Page();
    }
}
