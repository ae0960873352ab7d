using Hangfire;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Audit;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Rendering;
using NewsletterService.Security;

namespace NewsletterService.Accounts;

/// <summary>
/// The invitation and password-reset mails, sent by jobs that take an account id or the typed address, so that a request
/// never waits for SMTP and a "forgot password" answer takes the same time whether the address has an account or not.
/// Each mail carries a fresh single-use link (<see cref="AccountTokens"/>); sending one twice leaves both links working
/// until the first is used.
/// </summary>
public sealed class AccountMailJobs(
    UserManager<Account> users, AccountMailer mailer, NewsletterDb db, AuditLog audit, TimeProvider time,
    IOptions<AdminOptions> admin, IOptions<NewsletterOptions> newsletter, ILogger<AccountMailJobs> log)
{
    /// <summary>One reset mail per account in this time, however many requests arrive (against mail-bombing an editor).</summary>
    public static readonly TimeSpan ResetMailInterval = TimeSpan.FromMinutes(2);

    [Queue("critical"), AutomaticRetry(Attempts = 5)]
    public async Task InvitationAsync(string userId, CancellationToken ct)
    {
        if (await users.FindByIdAsync(userId) is not { } account || account.IsDisabled || await users.HasPasswordAsync(account)) return;
        var role = (await users.GetRolesAsync(account)).FirstOrDefault() ?? "";
        var token = await users.GenerateUserTokenAsync(account, AccountTokens.Invitation, AccountTokens.Invitation);
        var name = newsletter.Value.FromName;
        await mailer.SendAsync(account.Email!, $"You are invited to the {name} newsletter dashboard",
            [$"You have been given an account on the {name} newsletter dashboard, as {AccountRoles.WithArticle(role)}.",
                "Choose your password to start:"],
            new MailAction("Set your password", Link("/admin/password/invitation", account, token)), ct,
            closing: $"The link works once, for {Hours(admin.Value.InvitationLifetime)}. If you did not expect this, ignore this mail.");
        log.LogInformation("Sent an invitation to account {UserId}", account.Id);
    }

    [Queue("critical"), AutomaticRetry(Attempts = 5)]
    public async Task PasswordResetAsync(string email, CancellationToken ct)
    {
        if (await users.FindByEmailAsync(email) is not { } account || account.IsDisabled) return;
        if (!await ClaimResetMailAsync(account.Id, ct))
        {
            log.LogInformation("Password reset for account {UserId} not mailed again so soon", account.Id);
            return;
        }
        var token = await users.GeneratePasswordResetTokenAsync(account);
        await mailer.SendAsync(account.Email!, $"Reset your password for the {newsletter.Value.FromName} dashboard",
            ["Someone, hopefully you, asked to reset the password of your dashboard account.", "Choose a new password:"],
            new MailAction("Choose a new password", Link("/admin/password/reset", account, token)), ct,
            closing: $"The link works once, for {Hours(admin.Value.PasswordResetLifetime)}. " +
                     "If you did not ask for this, ignore this mail: your password stays as it is.");
        await audit.RecordAsync("password.reset-mailed", "account " + account.Email, actor: AuditLog.SystemActor);
    }

    /// <summary>
    /// Whether this job may mail the account a reset link now: one claim per <see cref="ResetMailInterval"/>, taken by a
    /// conditional update (or the insert of the first one), so that requests arriving together still send one mail.
    /// </summary>
    private async Task<bool> ClaimResetMailAsync(string userId, CancellationToken ct)
    {
        var key = "password-reset-mailed:" + userId;
        var now = time.GetUtcNow().UtcDateTime;
        var (stamp, before) = (now.ToString("o"), (now - ResetMailInterval).ToString("o"));
        if (await db.Settings.Where(s => s.Key == key && string.Compare(s.Value, before) < 0)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, stamp), ct) == 1) return true;
        if (await db.Settings.AnyAsync(s => s.Key == key, ct)) return false;
        db.Settings.Add(new AppSetting { Key = key, Value = stamp });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            return false; // another job inserted it first
        }
    }

    private string Link(string path, Account account, string token) =>
        mailer.Url($"{path}?user={Uri.EscapeDataString(account.Id)}&token={Uri.EscapeDataString(token)}");

    /// <summary>A link's lifetime in words: "72 hours", "1 hour", "30 minutes".</summary>
    public static string Hours(TimeSpan span) => span.TotalHours >= 1 && span.TotalHours % 1 == 0
        ? (span.TotalHours == 1 ? "1 hour" : $"{span.TotalHours:0} hours")
        : $"{span.TotalMinutes:0} minutes";
}
