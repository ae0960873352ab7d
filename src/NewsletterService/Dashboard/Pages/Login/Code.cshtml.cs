using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsletterService.Accounts;

namespace NewsletterService.Dashboard.Pages.Login;

/// <summary>
/// The second step of signing in to an account with two-factor sign-in: a code from the authenticator app, or one
/// of the account's recovery codes (<c>?recovery=true</c>). Open like the login page: Identity's short-lived two-factor
/// cookie, set when the password was right, names the account.
/// </summary>
public sealed class CodeModel(AccountLogins logins, AccountSignInManager signIn) : PageModel
{
    [BindProperty] public string? Code { get; set; }
    [BindProperty(SupportsGet = true)] public bool Recovery { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? BackToPassword() : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var check = await logins.CodeAsync(HttpContext, Code, Recovery ? SecondFactor.RecoveryCode : SecondFactor.Authenticator, ct);
        Code = null;
        switch (check.Outcome)
        {
            case LoginOutcome.Success:
                return LocalRedirect(Target);
            case LoginOutcome.Expired:
                TempData["Error"] = "The sign-in took too long. Log in again.";
                return BackToPassword();
            case LoginOutcome.Throttled:
                var seconds = (int)Math.Ceiling(check.RetryAfter.TotalSeconds);
                Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                Error = "Too many attempts. Wait " + LoginModel.WaitText(seconds) + " before you try again.";
                return new PageResult { StatusCode = StatusCodes.Status429TooManyRequests };
            case LoginOutcome.LockedOut:
                Error = "Too many wrong codes: the account is locked for a few minutes. Try again later.";
                return new PageResult { StatusCode = StatusCodes.Status429TooManyRequests };
            default:
                Error = Recovery ? "That recovery code is wrong or has been used." : "Wrong code. Enter the current code from your app.";
                return Page();
        }
    }

    private RedirectToPageResult BackToPassword() => RedirectToPage("/Login", new { ReturnUrl = Target });

    private string Target => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/admin";
}
