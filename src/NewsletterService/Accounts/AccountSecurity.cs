using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using NewsletterService.Audit;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Security;

namespace NewsletterService.Accounts;

public enum CodeCheck { Ok, Wrong, LockedOut }

/// <summary>An authenticator key as the set-up page shows it; never logged or audited.</summary>
public sealed record AuthenticatorSetup(string GroupedKey, string Uri, string QrSvg);

/// <summary>
/// What a signed-in account changes about its own sign-in, on Identity's own pieces: its password (Identity's
/// validators; its other sessions end), and two-factor sign-in with an authenticator app (key, QR code, recovery codes).
/// Identity renews the security stamp on each change, so the current session is signed in again right after.
/// </summary>
public sealed class AccountSecurity(
    UserManager<Account> users, AccountSignInManager signIn, NewsletterDb db, AuditLog audit, TwoFactorRequirement requirement,
    IOptions<NewsletterOptions> newsletter, ILogger<AccountSecurity> log)
{
    public const int RecoveryCodeCount = 10;

    public async Task<Account> CurrentAsync(ClaimsPrincipal user) =>
        await users.GetUserAsync(user) ?? throw new InvalidOperationException("The signed-in account no longer exists.");

    public Task<int> RecoveryCodesLeftAsync(Account user) => users.CountRecoveryCodesAsync(user);

    /// <summary>Changes the password; every other session of the account ends, this one goes on.</summary>
    public async Task<IdentityResult> ChangePasswordAsync(Account user, string? current, string? next, CancellationToken ct)
    {
        var result = await users.ChangePasswordAsync(user, current ?? "", next ?? "");
        if (!result.Succeeded) return result;
        var ended = await AdminSessions.EndAllAsync(db, user.Id, ct);
        await signIn.RefreshSignInAsync(user);
        log.LogInformation("{Email} changed their password; {Sessions} dashboard sessions ended", user.Email, ended);
        await audit.RecordAsync("password.changed", null, new { sessionsEnded = ended });
        return result;
    }

    /// <summary>The account's authenticator key (a new one when it has none yet), as the set-up page shows it.</summary>
    public async Task<AuthenticatorSetup> SetupAsync(Account user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            await signIn.RefreshSignInAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }
        var uri = TwoFactorKeys.Uri(newsletter.Value.FromName, user.Email!, key!);
        return new AuthenticatorSetup(TwoFactorKeys.Grouped(key!), uri, TwoFactorKeys.QrSvg(uri));
    }

    /// <summary>Turns two-factor sign-in on once a code from the app proves the key was taken; the new recovery codes, or null.</summary>
    public async Task<(CodeCheck Check, IReadOnlyList<string> RecoveryCodes)> EnableAsync(Account user, string? code)
    {
        if (await CheckCodeAsync(user, code, "enable") is var check && check != CodeCheck.Ok) return (check, []);
        await users.SetTwoFactorEnabledAsync(user, true);
        var codes = await NewCodesAsync(user);
        await signIn.RefreshSignInAsync(user);
        log.LogInformation("{Email} turned on two-factor sign-in", user.Email);
        await audit.RecordAsync("2fa.enabled", null);
        return (CodeCheck.Ok, codes);
    }

    public async Task<(CodeCheck Check, IReadOnlyList<string> RecoveryCodes)> RegenerateCodesAsync(Account user, string? code)
    {
        if (await CheckCodeAsync(user, code, "recovery codes") is var check && check != CodeCheck.Ok) return (check, []);
        return (CodeCheck.Ok, await NewCodesAsync(user));
    }

    /// <summary>Turns two-factor sign-in off (and forgets the key) unless the owner requires it; null when refused for that.</summary>
    public async Task<CodeCheck?> DisableAsync(Account user, string? code, CancellationToken ct)
    {
        if (await requirement.IsOnAsync(ct)) return null;
        if (await CheckCodeAsync(user, code, "disable") is var check && check != CodeCheck.Ok) return check;
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user); // a later set-up starts with a new key
        await signIn.RefreshSignInAsync(user);
        log.LogInformation("{Email} turned off two-factor sign-in", user.Email);
        await audit.RecordAsync("2fa.disabled", null);
        return CodeCheck.Ok;
    }

    private async Task<IReadOnlyList<string>> NewCodesAsync(Account user)
    {
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))!.ToList();
        await audit.RecordAsync("recovery-codes.generated", null, new { count = codes.Count });
        return codes;
    }

    /// <summary>A current authenticator code; wrong ones count towards Identity's lock-out, as at sign-in.</summary>
    private async Task<CodeCheck> CheckCodeAsync(Account user, string? code, string purpose)
    {
        if (await users.IsLockedOutAsync(user)) return CodeCheck.LockedOut;
        var typed = TwoFactorKeys.Clean(code);
        if (typed.Length > 0 &&
            await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, typed))
        {
            await users.ResetAccessFailedCountAsync(user);
            return CodeCheck.Ok;
        }
        await users.AccessFailedAsync(user);
        await audit.RecordAsync("2fa.wrong-code", null, new { purpose });
        return await users.IsLockedOutAsync(user) ? CodeCheck.LockedOut : CodeCheck.Wrong;
    }
}
