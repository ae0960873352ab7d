using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using NewsletterService.Security;

namespace NewsletterService.Accounts;

/// <summary>
/// Identity's sign-in manager, with every completed sign-in (password, authenticator code or recovery code) starting
/// a server-side session (<see cref="AdminSessions"/>) named in the cookie, and sign-out ending it.
/// </summary>
public sealed class AccountSignInManager(
    UserManager<Account> users, IHttpContextAccessor http, IUserClaimsPrincipalFactory<Account> claims, IOptions<IdentityOptions> options,
    ILogger<SignInManager<Account>> log, IAuthenticationSchemeProvider schemes, IUserConfirmation<Account> confirmation,
    AdminSessions sessions)
    : SignInManager<Account>(users, http, claims, options, log, schemes, confirmation)
{
    public override async Task SignInWithClaimsAsync(Account user, AuthenticationProperties? properties, IEnumerable<Claim> additionalClaims)
    {
        var session = await sessions.StartAsync(user.Id, Context.RequestAborted);
        await base.SignInWithClaimsAsync(user, properties, [.. additionalClaims, session]);
    }

    public override async Task SignOutAsync()
    {
        await sessions.EndAsync(Context.User, Context.RequestAborted);
        await base.SignOutAsync();
    }
}
