using Hangfire;
using Microsoft.AspNetCore.Identity;
using NewsletterService.Audit;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Security;

namespace NewsletterService.Accounts;

/// <summary>
/// Passwords set through a mailed link: taking up an invitation, resetting a forgotten password, and asking for a reset
/// (which never tells whether the address has an account). A link is checked against the account's security stamp,
/// which setting the password changes: a link works once. A link that is wrong, used or expired gets the same answer.
/// </summary>
public sealed class AccountPasswords(
    UserManager<Account> users, AccountSignInManager signIn, NewsletterDb db, IBackgroundJobClient jobs, AuditLog audit,
    ILogger<AccountPasswords> log)
{
    public const string LinkRefused = "This link does not work: it was already used, it expired, or it was copied incompletely.";

    /// <summary>Queues a reset mail for <paramref name="email"/>: the job finds out whether there is an account to mail.</summary>
    public void RequestReset(string? email)
    {
        var address = AccountLogins.Normalize(email);
        if (address.Length is > 0 and <= 254) jobs.Enqueue<AccountMailJobs>(j => j.PasswordResetAsync(address, CancellationToken.None));
    }

    /// <summary>Whether the link may be shown its form (it is checked again on submit).</summary>
    public async Task<Account?> InvitedAsync(string? userId, string? token) =>
        await FindAsync(userId) is { } account && !await users.HasPasswordAsync(account) &&
        await users.VerifyUserTokenAsync(account, AccountTokens.Invitation, AccountTokens.Invitation, token ?? "")
            ? account : null;

    public async Task<Account?> ResettingAsync(string? userId, string? token) =>
        await FindAsync(userId) is { } account && await users.VerifyUserTokenAsync(
            account, users.Options.Tokens.PasswordResetTokenProvider, UserManager<Account>.ResetPasswordTokenPurpose, token ?? "")
            ? account : null;

    /// <summary>Sets the invited account's first password and signs it in.</summary>
    public async Task<Refusal?> AcceptInvitationAsync(string? userId, string? token, string? password, string? repeated)
    {
        if (await InvitedAsync(userId, token) is not { } account) return Refusal.Conflict(LinkRefused);
        if (Mismatch(password, repeated) is { } mismatch) return mismatch;
        if (Invalid(await users.AddPasswordAsync(account, password!)) is { } refusal) return refusal; // new stamp: the link is spent
        account.EmailConfirmed = true;
        await users.UpdateAsync(account);
        await audit.RecordAsync("user.invitation-accepted", "account " + account.Email, actor: account.Email);
        log.LogInformation("Account {UserId} took up its invitation", account.Id);
        await signIn.SignInAsync(account, isPersistent: false, authenticationMethod: "invitation");
        return null;
    }

    /// <summary>Sets a new password from a reset link; every session of the account ends.</summary>
    public async Task<Refusal?> ResetAsync(string? userId, string? token, string? password, string? repeated)
    {
        if (await ResettingAsync(userId, token) is not { } account) return Refusal.Conflict(LinkRefused);
        if (Mismatch(password, repeated) is { } mismatch) return mismatch;
        if (Invalid(await users.ResetPasswordAsync(account, token!, password!)) is { } refusal) return refusal;
        account.EmailConfirmed = true;
        await users.UpdateAsync(account);
        await AdminSessions.EndAllAsync(db, account.Id, CancellationToken.None);
        await audit.RecordAsync("password.reset", "account " + account.Email, actor: account.Email);
        log.LogInformation("Account {UserId} reset its password", account.Id);
        return null;
    }

    private async Task<Account?> FindAsync(string? userId) =>
        string.IsNullOrEmpty(userId) || await users.FindByIdAsync(userId) is not { IsDisabled: false } account ? null : account;

    private static Refusal? Mismatch(string? password, string? repeated) =>
        password != repeated ? Refusal.Invalid("repeated", "The two passwords differ.") : null;

    private static Refusal? Invalid(IdentityResult result) => result.Succeeded ? null
        : result.Errors.Any(e => e.Code == "InvalidToken") ? Refusal.Conflict(LinkRefused)
        : Refusal.Invalid("password", string.Join(" ", result.Errors.Select(e => e.Description)));
}
