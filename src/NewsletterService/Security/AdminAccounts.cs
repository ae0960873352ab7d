using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Data;

namespace NewsletterService.Security;

public enum LoginOutcome { Success, WrongCredentials, Throttled }

/// <summary>How a login went: the user on success, how long to wait before the next try when throttled.</summary>
public sealed record LoginCheck(LoginOutcome Outcome, ClaimsPrincipal? User = null, TimeSpan RetryAfter = default);

/// <summary>
/// The bootstrap admin from <c>Admin:Email</c>/<c>Admin:Password</c>. At start-up the password is hashed with ASP.NET
/// Core Identity's <see cref="PasswordHasher{TUser}"/> into the settings table (a new hash ends every session); logins
/// pass the gates of <see cref="LoginThrottles"/> first and are then checked against that hash. Any typed address goes
/// through the same steps, so the answers do not tell whether an account exists.
/// </summary>
public sealed class AdminAccounts(
    IServiceScopeFactory scopes, IOptions<AdminOptions> options, LoginThrottles throttles, KnownDevice devices, AdminSessions sessions,
    ILogger<AdminAccounts> log) : IHostedService
{
    private static readonly PasswordHasher<string> Hasher = new();

    /// <summary>Checked when the typed address is not the admin's, so that such a try takes as long as a real one.</summary>
    private static readonly Lazy<string> DecoyHash =
        new(() => Hasher.HashPassword("", Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));

    private AdminOptions Admin => options.Value;
    private string SettingKey => "admin-password:" + Normalize(Admin.Email);

    public static string Normalize(string? email) => (email ?? "").Trim().ToLowerInvariant();

    /// <summary>
    /// Stores the hash of the configured password unless the stored one already matches it; a new one ends every session.
    /// </summary>
    public async Task StartAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDb>();
        var stored = await db.Settings.FirstOrDefaultAsync(s => s.Key == SettingKey, ct);
        if (stored is not null &&
            Hasher.VerifyHashedPassword(SettingKey, stored.Value, Admin.Password!) == PasswordVerificationResult.Success)
            return;
        var hash = Hasher.HashPassword(SettingKey, Admin.Password!);
        if (stored is null) db.Settings.Add(new AppSetting { Key = SettingKey, Value = hash });
        else stored.Value = hash;
        await db.SaveChangesAsync(ct);
        var ended = await AdminSessions.EndAllAsync(db, ct);
        log.LogInformation("Stored the password hash of dashboard admin {Email}; {Sessions} dashboard sessions ended", Admin.Email, ended);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// One login try from <paramref name="http"/>'s client address. On success the user carries a new server-side
    /// session and the browser is remembered as a known device of the account.
    /// </summary>
    public async Task<LoginCheck> CheckAsync(HttpContext http, string? email, string? password, CancellationToken ct)
    {
        var account = Normalize(email);
        var address = http.Connection.RemoteIpAddress;
        var wait = await throttles.EnterAsync(account, address, devices.IsKnown(http.Request, account), ct);
        if (wait > TimeSpan.Zero)
        {
            log.LogInformation(
                "Dashboard login try refused for {Wait}: too many tries for this account from this address or from everywhere", wait);
            return new LoginCheck(LoginOutcome.Throttled, RetryAfter: wait);
        }

        var isAdmin = account == Normalize(Admin.Email) && account.Length > 0;
        string? hash = null;
        if (isAdmin)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NewsletterDb>();
            hash = await db.Settings.AsNoTracking().Where(s => s.Key == SettingKey).Select(s => s.Value).FirstOrDefaultAsync(ct);
        }
        var verified =
            Hasher.VerifyHashedPassword(SettingKey, hash ?? DecoyHash.Value, password ?? "") != PasswordVerificationResult.Failed;
        if (!(isAdmin && hash is not null && verified && !string.IsNullOrEmpty(password)))
            return new LoginCheck(LoginOutcome.WrongCredentials);

        await throttles.ClearAsync(account, address, ct);
        devices.Remember(http.Response, account);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, Admin.Email), new Claim(ClaimTypes.Role, "admin"), await sessions.StartAsync(ct)],
            AdminLogin.Scheme);
        return new LoginCheck(LoginOutcome.Success, new ClaimsPrincipal(identity));
    }
}
