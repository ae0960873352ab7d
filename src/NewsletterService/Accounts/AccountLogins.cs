using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using NewsletterService.Security;

namespace NewsletterService.Accounts;

public enum LoginOutcome { Success, TwoFactorRequired, WrongCredentials, Throttled }

/// <summary>How a login try went; how long to wait before the next one when throttled.</summary>
public sealed record LoginCheck(LoginOutcome Outcome, TimeSpan RetryAfter = default);

/// <summary>
/// Dashboard sign-in: a try passes the gates of <see cref="LoginThrottles"/> first, then Identity checks the password
/// (and, for an account with two-factor sign-in, asks for a code next). A typed address without an account is checked
/// against a decoy hash, so that the answer and its time do not tell whether an account exists. Every success and
/// every failure goes through <see cref="SucceededAsync"/> and <see cref="FailedAsync"/>.
/// </summary>
public sealed class AccountLogins(
    UserManager<Account> users, AccountSignInManager signIn, LoginThrottles throttles, KnownDevice devices, ILogger<AccountLogins> log)
{
    /// <summary>Checked when the typed address has no account, so that such a try takes as long as a real one.</summary>
    private static readonly Lazy<string> DecoyHash =
        new(() => new PasswordHasher<Account>().HashPassword(new Account(), Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));

    public static string Normalize(string? email) => (email ?? "").Trim().ToLowerInvariant();

    /// <summary>One password try from <paramref name="http"/>'s client address.</summary>
    public async Task<LoginCheck> PasswordAsync(HttpContext http, string? email, string? password, CancellationToken ct)
    {
        var account = Normalize(email);
        var address = http.Connection.RemoteIpAddress;
        var wait = await throttles.EnterAsync(account, address, devices.IsKnown(http.Request, account), ct);
        if (wait > TimeSpan.Zero)
        {
            log.LogInformation(
                "Dashboard login try refused for {Wait}: too many tries for this account from this address or from everywhere", wait);
            return new LoginCheck(LoginOutcome.Throttled, wait);
        }

        var user = account.Length > 0 ? await users.FindByEmailAsync(account) : null;
        if (user is null || string.IsNullOrEmpty(password))
        {
            new PasswordHasher<Account>().VerifyHashedPassword(new Account(), DecoyHash.Value, password ?? "");
            await FailedAsync(http, account, user is null ? "no such account" : "no password");
            return new LoginCheck(LoginOutcome.WrongCredentials);
        }
        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: false);
        if (!result.Succeeded && !result.RequiresTwoFactor)
        {
            await FailedAsync(http, account, result.IsLockedOut ? "account disabled or locked" : "wrong password");
            return new LoginCheck(LoginOutcome.WrongCredentials);
        }
        await throttles.ClearAsync(account, address, ct);
        devices.Remember(http.Response, account);
        if (result.RequiresTwoFactor) return new LoginCheck(LoginOutcome.TwoFactorRequired);
        await SucceededAsync(http, user, "password");
        return new LoginCheck(LoginOutcome.Success);
    }

    /// <summary>The one place a completed sign-in is recorded.</summary>
    public Task SucceededAsync(HttpContext http, Account user, string method)
    {
        log.LogInformation("Dashboard sign-in by {Email} ({Method}) from {Address}", user.Email, method, http.Connection.RemoteIpAddress);
        return Task.CompletedTask;
    }

    /// <summary>The one place a failed sign-in is recorded (the typed address, whether it has an account or not).</summary>
    public Task FailedAsync(HttpContext http, string email, string reason)
    {
        log.LogInformation("Dashboard sign-in failed for {Email} from {Address}: {Reason}", email, http.Connection.RemoteIpAddress, reason);
        return Task.CompletedTask;
    }
}
