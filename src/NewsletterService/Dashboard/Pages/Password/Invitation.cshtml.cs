using Microsoft.AspNetCore.Mvc;
using NewsletterService.Accounts;

namespace NewsletterService.Dashboard.Pages.Password;

/// <summary>The page an invitation link opens: choose the account's first password, then straight into the dashboard.</summary>
public sealed class InvitationModel(AccountPasswords passwords) : PasswordLinkPage
{
    public override string Heading => "Welcome: choose your password";

    protected override async Task<bool> LinkWorksAsync() => await passwords.InvitedAsync(UserId, Token) is not null;

    public async Task<IActionResult> OnPostAsync() =>
        await SetAsync(passwords.AcceptInvitationAsync(UserId, Token, NewPassword, Repeated)) ?? Redirect("/admin");
}
