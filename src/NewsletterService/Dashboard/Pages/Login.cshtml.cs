using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsletterService.Accounts;

namespace NewsletterService.Dashboard.Pages;

public sealed class LoginModel(AccountLogins logins) : PageModel
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? LocalRedirect(Target) : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var check = await logins.PasswordAsync(HttpContext, Email, Password, ct);
        Password = null;
        switch (check.Outcome)
        {
            case LoginOutcome.Success:
                return LocalRedirect(Target);
            case LoginOutcome.TwoFactorRequired:
                return RedirectToPage("/Login/Code", new { ReturnUrl = Target });
            case LoginOutcome.Throttled:
                // The same words whether the account exists or not, and whichever gate held the try back.
                var seconds = (int)Math.Ceiling(check.RetryAfter.TotalSeconds);
                Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                Error = "Too many login attempts. Wait " + WaitText(seconds) + " before you try again.";
                return new PageResult { StatusCode = StatusCodes.Status429TooManyRequests };
            default:
                Error = "Wrong email or password.";
                return Page();
        }
    }

    internal static string WaitText(int seconds) =>
        seconds < 60 ? Plural(seconds, "second") : Plural((seconds + 59) / 60, "minute");

    private static string Plural(int n, string unit) => n == 1 ? "1 " + unit : n + " " + unit + "s";

    private string Target => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/admin";
}
