using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsletterService.Accounts;
using NewsletterService.Audit;

namespace NewsletterService.Dashboard.Pages;

public sealed class LoginModel(AccountLogins logins, AuditLog audit) : PageModel
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
        var account = AccountLogins.Normalize(Email);
        if (check.Outcome == LoginOutcome.Success) await audit.RecordAsync("sign-in", null, actor: account);
        else await audit.RecordAsync("sign-in.failed", null,
            new { reason = check.Outcome == LoginOutcome.Throttled ? "too many tries" : "wrong email or password" }, account);
        switch (check.Outcome)
        {
            case LoginOutcome.Success:
                return LocalRedirect(Target);
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

    private static string WaitText(int seconds) =>
        seconds < 60 ? Plural(seconds, "second") : Plural((seconds + 59) / 60, "minute");

    private static string Plural(int n, string unit) => n == 1 ? "1 " + unit : n + " " + unit + "s";

    private string Target => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/admin";
}
