using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Data;

namespace NewsletterService.Security;

public enum LoginOutcome { Success, WrongCredentials, LockedOut }

/// <summary>
/// The bootstrap admin from <c>Admin:Email</c>/<c>Admin:Password</c>. At start-up the password is hashed with ASP.NET
/// Core Identity's <see cref="PasswordHasher{TUser}"/> into the settings table; logins are checked against that hash.
/// <c>Admin:MaxFailedLogins</c> failures in a row lock the address out for <c>Admin:LockoutDuration</c>.
/// </summary>
public sealed class AdminAccounts(
    IServiceScopeFactory scopes, IOptions<AdminOptions> options, TimeProvider time, ILogger<AdminAccounts> log) : IHostedService
{
    private static readonly PasswordHasher<string> Hasher = new();
    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset LockedUntil)> _failures = new(StringComparer.OrdinalIgnoreCase);
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

    public TimeSpan LockoutRemaining(string email) =>
        _failures.TryGetValue(email.Trim(), out var f) && f.LockedUntil > time.GetUtcNow() ? f.LockedUntil - time.GetUtcNow() : TimeSpan.Zero;

    public async Task<(LoginOutcome Outcome, ClaimsPrincipal? User)> CheckAsync(string? email, string? password, CancellationToken ct)
    {
        email = (email ?? "").Trim();
        if (LockoutRemaining(email) > TimeSpan.Zero) return (LoginOutcome.LockedOut, null);

        var ok = false;
        if (email.Equals(Admin.Email.Trim(), StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(password))
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NewsletterDb>();
            var hash = await db.Settings.AsNoTracking().Where(s => s.Key == SettingKey).Select(s => s.Value).FirstOrDefaultAsync(ct);
            ok = hash is not null && Hasher.VerifyHashedPassword(SettingKey, hash, password) != PasswordVerificationResult.Failed;
        }
        if (ok)
        {
            _failures.TryRemove(email, out _);
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, Admin.Email), new Claim(ClaimTypes.Role, "admin")], AdminLogin.Scheme);
            return (LoginOutcome.Success, new ClaimsPrincipal(identity));
        }

        var now = time.GetUtcNow();
        if (_failures.Count > 10_000) _failures.Clear(); // a flood of made-up addresses must not grow memory without bound
        var entry = _failures.AddOrUpdate(email, (1, DateTimeOffset.MinValue), (_, f) => (f.Failures + 1, f.LockedUntil));
        if (entry.Failures < Admin.MaxFailedLogins) return (LoginOutcome.WrongCredentials, null);
        _failures[email] = (0, now + Admin.LockoutDuration);
        log.LogWarning("Dashboard login for {Email} locked for {Duration} after {Failures} failed attempts", email, Admin.LockoutDuration, entry.Failures);
        return (LoginOutcome.LockedOut, null);
    }
}
