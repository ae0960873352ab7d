using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Data;

namespace NewsletterService.Security;

public enum LoginOutcome { Success, WrongCredentials, LockedOut }

/// <summary>How a login went: the user on success, how long the lock-out lasts when locked out.</summary>
public sealed record LoginCheck(LoginOutcome Outcome, ClaimsPrincipal? User = null, TimeSpan LockedFor = default);

/// <summary>
/// The bootstrap admin from <c>Admin:Email</c>/<c>Admin:Password</c>. At start-up the password is hashed with ASP.NET
/// Core Identity's <see cref="PasswordHasher{TUser}"/> into the settings table; logins are checked against that hash.
/// <c>Admin:MaxFailedLogins</c> failures in a row lock the address out for <c>Admin:LockoutDuration</c>, on every process
/// (see <see cref="LoginLockout"/>).
/// </summary>
public sealed class AdminAccounts(
    IServiceScopeFactory scopes, IOptions<AdminOptions> options, TimeProvider time, ILogger<AdminAccounts> log) : IHostedService
{
    private static readonly PasswordHasher<string> Hasher = new();
    private AdminOptions Admin => options.Value;
    private string SettingKey => "admin-password:" + Admin.Email.Trim().ToLowerInvariant();

    /// <summary>Stores the hash of the configured password unless the stored one already matches it.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDb>();
        var stored = await db.Settings.FirstOrDefaultAsync(s => s.Key == SettingKey, ct);
        if (stored is not null && Hasher.VerifyHashedPassword(SettingKey, stored.Value, Admin.Password!) == PasswordVerificationResult.Success) return;
        var hash = Hasher.HashPassword(SettingKey, Admin.Password!);
        if (stored is null) db.Settings.Add(new AppSetting { Key = SettingKey, Value = hash });
        else stored.Value = hash;
        await db.SaveChangesAsync(ct);
        log.LogInformation("Stored the password hash of dashboard admin {Email}", Admin.Email);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    public async Task<LoginCheck> CheckAsync(string? email, string? password, CancellationToken ct)
    {
        email = (email ?? "").Trim();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDb>();
        var now = time.GetUtcNow();
        if (await LoginLockout.RemainingAsync(db, email, now, ct) is var remaining && remaining > TimeSpan.Zero)
            return new LoginCheck(LoginOutcome.LockedOut, LockedFor: remaining);

        var ok = false;
        if (email.Equals(Admin.Email.Trim(), StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(password))
        {
            var hash = await db.Settings.AsNoTracking().Where(s => s.Key == SettingKey).Select(s => s.Value).FirstOrDefaultAsync(ct);
            ok = hash is not null && Hasher.VerifyHashedPassword(SettingKey, hash, password) != PasswordVerificationResult.Failed;
        }
        if (ok)
        {
            await LoginLockout.ClearAsync(db, email, ct);
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, Admin.Email), new Claim(ClaimTypes.Role, "admin")], AdminLogin.Scheme);
            return new LoginCheck(LoginOutcome.Success, new ClaimsPrincipal(identity));
        }

        if (!await LoginLockout.FailAsync(db, email, now, Admin.MaxFailedLogins, Admin.LockoutDuration, ct)) return new LoginCheck(LoginOutcome.WrongCredentials);
        log.LogWarning("Dashboard login for {Email} locked for {Duration} after {Failures} failed attempts", email, Admin.LockoutDuration, Admin.MaxFailedLogins);
        return new LoginCheck(LoginOutcome.LockedOut, LockedFor: Admin.LockoutDuration);
    }
}
