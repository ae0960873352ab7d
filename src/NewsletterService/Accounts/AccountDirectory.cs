using Hangfire;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Audit;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Security;
using NewsletterService.Subscriptions;

namespace NewsletterService.Accounts;

/// <summary>
/// The accounts an owner manages, shared by <c>/api/users</c> and the users page: invite by address and role, change a
/// role, disable, enable, remove, send an invitation again. The account of <c>Admin:Email</c> stays an active owner (start-up
/// makes it one again anyway), and nobody changes their own account here, so an owner can never lock everyone out.
/// </summary>
public sealed class AccountDirectory(
    UserManager<Account> users, NewsletterDb db, IBackgroundJobClient jobs, AuditLog audit, TimeProvider time, IOptions<AdminOptions> admin)
{
    public enum AccountStatus { Invited, Active, Disabled }

    public sealed record AccountView(string Id, string Email, string Role, AccountStatus Status, bool TwoFactor, DateTime CreatedAt);

    public sealed record Invite(string? Email, string? Role);

    /// <summary>What to change; a property left null stays as it is.</summary>
    public sealed record Change(string? Role, bool? Disabled);

    public async Task<List<AccountView>> AllAsync(CancellationToken ct)
    {
        var rows = await (from u in db.Users
                          orderby u.Email
                          select new { User = u, Role = db.UserRoles.Where(r => r.UserId == u.Id).Select(r => r.RoleId).FirstOrDefault() })
            .AsNoTracking().ToListAsync(ct);
        return rows.Select(r => View(r.User, r.Role ?? "")).ToList();
    }

    public async Task<AccountView?> FindAsync(string id, CancellationToken ct) =>
        await users.FindByIdAsync(id) is { } user ? View(user, await RoleOfAsync(user)) : null;

    public async Task<Outcome<AccountView>> InviteAsync(Invite? request, CancellationToken ct)
    {
        if (!EmailAddress.TryParse(request?.Email, out var address, out var error)) return Refusal.Invalid("email", error);
        if (!AccountRoles.IsRole(request!.Role))
            return Refusal.Invalid("role", "role must be one of: " + string.Join(", ", AccountRoles.All) + ".");
        if (await users.FindByEmailAsync(address.Key) is not null)
            return Refusal.Conflict($"There is already an account for {address.Key}.");

        var account = new Account { UserName = address.Key, Email = address.Key, CreatedAt = time.GetUtcNow().UtcDateTime };
        var created = await users.CreateAsync(account); // no password until the invitation is taken up
        if (!created.Succeeded) return Refusal.Invalid("email", string.Join(" ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(account, request.Role!);
        jobs.Enqueue<AccountMailJobs>(j => j.InvitationAsync(account.Id, CancellationToken.None));
        await audit.RecordAsync("user.invited", Target(account), new { role = request.Role });
        return View(account, request.Role!);
    }

    public async Task<Outcome<AccountView>> ResendInvitationAsync(string id, CancellationToken ct)
    {
        if (await users.FindByIdAsync(id) is not { } account) return Refusal.NotFound($"There is no account {id}.");
        if (await users.HasPasswordAsync(account)) return Refusal.Conflict($"{account.Email} has already taken up the invitation.");
        if (account.IsDisabled) return Refusal.Conflict($"{account.Email} is disabled; enable it first.");
        jobs.Enqueue<AccountMailJobs>(j => j.InvitationAsync(account.Id, CancellationToken.None));
        await audit.RecordAsync("user.invitation-resent", Target(account));
        return View(account, await RoleOfAsync(account));
    }

    public async Task<Outcome<AccountView>> ChangeAsync(string id, Change? change, string? actingUserId, CancellationToken ct)
    {
        if (change?.Role is { } role && !AccountRoles.IsRole(role))
            return Refusal.Invalid("role", "role must be one of: " + string.Join(", ", AccountRoles.All) + ".");
        if (await users.FindByIdAsync(id) is not { } account) return Refusal.NotFound($"There is no account {id}.");
        if (Protected(account, actingUserId) is { } refusal) return refusal;

        var current = await RoleOfAsync(account);
        if (change?.Role is { } newRole && newRole != current)
        {
            if (current.Length > 0) await users.RemoveFromRoleAsync(account, current);
            await users.AddToRoleAsync(account, newRole); // applies on the account's next request (AdminSessions)
            await audit.RecordAsync("user.role-changed", Target(account), new { from = current, to = newRole });
            current = newRole;
        }
        if (change?.Disabled is { } disabled && disabled != account.IsDisabled)
        {
            await users.SetLockoutEnabledAsync(account, true);
            await users.SetLockoutEndDateAsync(account, disabled ? Account.DisabledUntil : null);
            if (disabled) await AdminSessions.EndAllAsync(db, account.Id, ct);
            await audit.RecordAsync(disabled ? "user.disabled" : "user.enabled", Target(account));
        }
        return View(account, current);
    }

    public async Task<Refusal?> DeleteAsync(string id, string? actingUserId, CancellationToken ct)
    {
        if (await users.FindByIdAsync(id) is not { } account) return Refusal.NotFound($"There is no account {id}.");
        if (Protected(account, actingUserId) is { } refusal) return refusal;
        await AdminSessions.EndAllAsync(db, account.Id, ct);
        var deleted = await users.DeleteAsync(account);
        if (!deleted.Succeeded) return Refusal.Conflict(string.Join(" ", deleted.Errors.Select(e => e.Description)));
        await audit.RecordAsync("user.deleted", Target(account));
        return null;
    }

    private Refusal? Protected(Account account, string? actingUserId)
    {
        if (account.Id == actingUserId) return Refusal.Conflict("You cannot change or remove your own account here; ask another owner.");
        if (string.Equals(account.Email, AccountLogins.Normalize(admin.Value.Email), StringComparison.OrdinalIgnoreCase))
            return Refusal.Conflict($"{account.Email} is the owner account set by Admin:Email; change it in configuration.");
        return null;
    }

    private async Task<string> RoleOfAsync(Account account) => (await users.GetRolesAsync(account)).FirstOrDefault() ?? "";

    private static string Target(Account account) => "account " + account.Email;

    private static AccountView View(Account u, string role) => new(u.Id, u.Email!, role,
        u.IsDisabled ? AccountStatus.Disabled : u.PasswordHash is null ? AccountStatus.Invited : AccountStatus.Active,
        u.TwoFactorEnabled, u.CreatedAt);
}
