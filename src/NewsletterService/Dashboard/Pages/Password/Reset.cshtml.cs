using Microsoft.AspNetCore.Mvc;
using NewsletterService.Accounts;

namespace NewsletterService.Dashboard.Pages.Password;

/// <summary>The page a reset link opens: choose a new password; every session of the account ends.</summary>
public sealed class ResetModel(AccountPasswords passwords) : PasswordLinkPage
{
    public override string Heading => "Choose a new password";

    protected override async Task<bool> LinkWorksAsync() => await passwords.ResettingAsync(UserId, Token) is not null;

    public async Task<IActionResult> OnPostAsync()
    {
        if (await SetAsync(passwords.ResetAsync(UserId, Token, NewPassword, Repeated)) is { } page) return page;
        TempData["Message"] = "Your password is changed. Log in with it.";
        return Redirect("/admin/login");
    }
}
