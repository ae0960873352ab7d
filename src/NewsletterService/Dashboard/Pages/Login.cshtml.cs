using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsletterService.Security;

namespace NewsletterService.Dashboard.Pages;

public sealed class LoginModel(AdminAccounts accounts, ILogger<LoginModel> log) : PageModel
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? LocalRedirect(Target) : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var check = await accounts.CheckAsync(Email, Password, ct);
        switch (check.Outcome)
        {
            case LoginOutcome.Success:
                await HttpContext.SignInAsync(AdminLogin.Scheme, check.User!);
                log.LogInformation("Dashboard login by {Email}", Email);
                return LocalRedirect(Target);
            case LoginOutcome.LockedOut:
                var minutes = Math.Max(1, (int)Math.Ceiling(check.LockedFor.TotalMinutes));
                Error = $"Too many failed attempts: this account is locked. Try again in {minutes} minute{(minutes == 1 ? "" : "s")}.";
                break;
            default:
                Error = "Wrong email or password.";
                break;
        }
        Password = null;
        return Page();
    }

    private string Target => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/admin";
}
