using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Data;
using NewsletterService.Security;

namespace NewsletterService.Accounts;

/// <summary>
/// The configured <c>Admin:Email</c>/<c>Admin:Password</c> is the first owner account: created at start-up when it is
/// missing, always an owner, and given the configured password whenever that changes in configuration (a password set
/// on the dashboard stays until then). The hash of the configured password is kept in the settings table to tell.
/// </summary>
public sealed class OwnerBootstrap(IServiceScopeFactory scopes, IOptions<AdminOptions> options, TimeProvider time, ILogger<OwnerBootstrap> log)
    : IHostedService
{
    private static readonly PasswordHasher<string> Hasher = new();
    private AdminOptions Admin => options.Value;
    private string SettingKey => "admin-password:" + AccountLogins.Normalize(Admin.Email);

    public async Task StartAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await EnsureOwnerAsync(ct);
                return;
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException && attempt < 3)
            {
                // Another process starting at the same moment created the account or stored the hash first: look again.
            }
        }
    }

    private async Task EnsureOwnerAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDb>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        var stored = await db.Settings.FirstOrDefaultAsync(s => s.Key == SettingKey, ct);
        var configuredChanged = stored is null ||
            Hasher.VerifyHashedPassword(SettingKey, stored.Value, Admin.Password!) == PasswordVerificationResult.Failed;

        var owner = await users.FindByEmailAsync(Admin.Email);
        if (owner is null)
        {
            owner = new Account { UserName = Admin.Email, Email = Admin.Email, EmailConfirmed = true, CreatedAt = time.GetUtcNow().UtcDateTime };
            Check(await users.CreateAsync(owner, Admin.Password!));
            log.LogInformation("Created the owner account {Email} from Admin:Email", Admin.Email);
        }
        else if (configuredChanged)
        {
            Check(await users.RemovePasswordAsync(owner));
            Check(await users.AddPasswordAsync(owner, Admin.Password!)); // a new security stamp: every session of the owner ends
            var ended = await AdminSessions.EndAllAsync(db, owner.Id, ct);
            log.LogInformation("Admin:Password changed: set it for {Email}; {Sessions} dashboard sessions ended", Admin.Email, ended);
        }
        if (owner.IsDisabled) Check(await users.SetLockoutEndDateAsync(owner, null));
        var roles = await users.GetRolesAsync(owner);
        if (roles is not [AccountRoles.Owner])
        {
            if (roles.Count > 0) Check(await users.RemoveFromRolesAsync(owner, roles));
            Check(await users.AddToRoleAsync(owner, AccountRoles.Owner));
        }
        if (configuredChanged)
        {
            var hash = Hasher.HashPassword(SettingKey, Admin.Password!);
            if (stored is null) db.Settings.Add(new AppSetting { Key = SettingKey, Value = hash });
            else stored.Value = hash;
            await db.SaveChangesAsync(ct);
        }
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException("Could not set up the owner account from Admin:Email: " +
                string.Join("; ", result.Errors.Select(e => e.Description)));
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
