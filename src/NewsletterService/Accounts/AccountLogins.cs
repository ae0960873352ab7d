using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using NewsletterService.Audit;
using NewsletterService.Security;

namespace NewsletterService.Accounts;

public enum LoginOutcome { Success, TwoFactorRequired, WrongCredentials, Throttled, LockedOut, Expired }

/// <summary>How a login try went; how long to wait before the next one when throttled.</summary>
public sealed record LoginCheck(LoginOutcome Outcome, TimeSpan RetryAfter = default);

/// <summary>How the second step of a sign-in proves the account: a code from the authenticator app or a recovery code.</summary>
public enum SecondFactor { Authenticator, RecoveryCode }

/// <summary>
/// Dashboard sign-in: a try passes the gates of <see cref="LoginThrottles"/> first, then Identity checks the password
/// (and, for an account with two-factor sign-in, the code of the second step, <see cref="CodeAsync"/>). A typed address
/// without an account is checked against a decoy hash, so that the answer and its time do not tell whether an account
/// exists. Every success and every failure goes through <see cref="SucceededAsync"/> and <see cref="FailedAsync"/>.
/// </summary>
public sealed class AccountLogins(
    UserManager<Account> users, AccountSignInManager signIn, LoginThrottles throttles, KnownDevice devices, AuditLog audit,
    ILogger<AccountLogins> log)
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
        if (await EnterAsync(http, account, ct) is { } throttled) return throttled;

        var user = account.Length > 0 ? await users.FindByEmailAsync(account) : null;
        if (user is null || string.IsNullOrEmpty(password))
        {
            new PasswordHasher<Account>().VerifyHashedPassword(new Account(), DecoyHash.Value, password ?? "");
            await FailedAsync(http, account, user is null ? "no such account" : "no password", "wrong email or password");
            return new LoginCheck(LoginOutcome.WrongCredentials);
        }
        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: false);
        if (!result.Succeeded && !result.RequiresTwoFactor)
        {
            await FailedAsync(http, account, result.IsLockedOut ? "account disabled or locked" : "wrong password", "wrong email or password");
            return new LoginCheck(LoginOutcome.WrongCredentials);
        }
        await throttles.ClearAsync(account, address, ct);
        devices.Remember(http.Response, account);
        if (result.RequiresTwoFactor) return new LoginCheck(LoginOutcome.TwoFactorRequired);
        await SucceededAsync(http, user, "password");
        return new LoginCheck(LoginOutcome.Success);
    }

    /// <summary>
    /// The second step, for the account whose password was right a moment ago (Identity's two-factor cookie names it).
    /// Wrong codes, recovery codes included, count towards Identity's lock-out; tries pass the same gates as passwords.
    /// </summary>
    public async Task<LoginCheck> CodeAsync(HttpContext http, string? code, SecondFactor factor, CancellationToken ct)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is not { } user) return new LoginCheck(LoginOutcome.Expired);
        var account = Normalize(user.Email);
        if (await EnterAsync(http, account, ct) is { } throttled) return throttled;
        if (await users.IsLockedOutAsync(user))
        {
            await FailedAsync(http, account, "locked out after wrong codes", "locked out");
            return new LoginCheck(LoginOutcome.LockedOut);
        }
        var typed = factor == SecondFactor.Authenticator ? TwoFactorKeys.Clean(code) : TwoFactorKeys.CleanRecoveryCode(code);
        var result = typed.Length == 0 ? SignInResult.Failed
            : factor == SecondFactor.Authenticator
                ? await signIn.TwoFactorAuthenticatorSignInAsync(typed, isPersistent: false, rememberClient: false)
                : await signIn.TwoFactorRecoveryCodeSignInAsync(typed);
        if (result.Succeeded)
        {
            await throttles.ClearAsync(account, http.Connection.RemoteIpAddress, ct);
            await SucceededAsync(http, user, factor == SecondFactor.Authenticator ? "authenticator" : "recovery code");
            return new LoginCheck(LoginOutcome.Success);
        }
        // Identity counts a wrong authenticator code itself; a wrong recovery code is counted here.
        if (factor == SecondFactor.RecoveryCode && !result.IsLockedOut) await users.AccessFailedAsync(user);
        var locked = result.IsLockedOut || await users.IsLockedOutAsync(user);
        await FailedAsync(http, account, factor == SecondFactor.Authenticator ? "wrong authenticator code" : "wrong recovery code",
            factor == SecondFactor.Authenticator ? "wrong code" : "wrong recovery code");
        return new LoginCheck(locked ? LoginOutcome.LockedOut : LoginOutcome.WrongCredentials);
    }

    private async Task<LoginCheck?> EnterAsync(HttpContext http, string account, CancellationToken ct)
    {
        var wait = await throttles.EnterAsync(account, http.Connection.RemoteIpAddress, devices.IsKnown(http.Request, account), ct);
        if (wait <= TimeSpan.Zero) return null;
        log.LogInformation(
            "Dashboard login try refused for {Wait}: too many tries for this account from this address or from everywhere", wait);
        await audit.RecordAsync("sign-in.failed", null, new { reason = "too many tries" }, account);
        return new LoginCheck(LoginOutcome.Throttled, wait);
    }

    /// <summary>The one place a completed sign-in is recorded, with how the account proved itself.</summary>
    public async Task SucceededAsync(HttpContext http, Account user, string method)
    {
        log.LogInformation("Dashboard sign-in by {Email} ({Method}) from {Address}", user.Email, method, http.Connection.RemoteIpAddress);
        await audit.RecordAsync("sign-in", null, new { method }, Normalize(user.Email));
    }

    /// <summary>
    /// The one place a failed sign-in is recorded (the typed address, whether it has an account or not): the log says
    /// why; the audit log says only what the person trying was told, so that it does not tell which addresses have accounts.
    /// </summary>
    public async Task FailedAsync(HttpContext http, string email, string reason, string shown)
    {
        log.LogInformation("Dashboard sign-in failed for {Email} from {Address}: {Reason}", email, http.Connection.RemoteIpAddress, reason);
        await audit.RecordAsync("sign-in.failed", null, new { reason = shown }, email);
    }
}
