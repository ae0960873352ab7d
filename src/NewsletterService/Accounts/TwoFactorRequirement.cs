using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Audit;
using NewsletterService.Data;
using NewsletterService.Security;

namespace NewsletterService.Accounts;

/// <summary>
/// The owner's setting "require two-factor sign-in for every account", kept in the settings table so that every web
/// process agrees. While it is on, a signed-in account without two-factor sign-in gets the set-up page for every
/// dashboard page and <c>/hangfire</c> (its own account page, logout and assets excepted) until it turns it on.
/// The configured API key is not an account and is not affected.
/// </summary>
public sealed class TwoFactorRequirement(IDbContextFactory<NewsletterDb> dbs, AuditLog audit, ILogger<TwoFactorRequirement> log)
{
    public const string SettingKey = "two-factor-required";
    public const string SetupPath = "/admin/account/two-factor";

    public async Task<bool> IsOnAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Settings.AnyAsync(s => s.Key == SettingKey && s.Value == "on", ct);
    }

    public async Task SetAsync(bool on, CancellationToken ct)
    {
        var value = on ? "on" : "off";
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await db.Settings.Where(s => s.Key == SettingKey).ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, value), ct) == 0)
        {
            db.Settings.Add(new AppSetting { Key = SettingKey, Value = value });
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateException) // another process stored it a moment ago: this choice is the later one
            {
                await db.Settings.Where(s => s.Key == SettingKey).ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, value), ct);
            }
        }
        log.LogInformation("Two-factor sign-in required for every account: {Required}", on);
        await audit.RecordAsync("settings.two-factor-required", null, new { required = on });
    }

    /// <summary>Whether <paramref name="user"/> (a signed-in account, not the API key) must set up two-factor sign-in first.</summary>
    public async Task<bool> HoldsBackAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } id) return false;
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Settings.AnyAsync(s => s.Key == SettingKey && s.Value == "on", ct) &&
            !await db.Users.AnyAsync(u => u.Id == id && u.TwoFactorEnabled, ct);
    }
}

public static class TwoFactorGate
{
    /// <summary>Paths an account held back may still reach: its account page (with the set-up), logout, login, assets.</summary>
    private static readonly string[] Open = ["/admin/account", "/admin/logout", "/admin/login", "/admin/assets"];

    /// <summary>After authentication: sends an account held back by the setting to the set-up page.</summary>
    public static IApplicationBuilder UseTwoFactorRequirement(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var path = http.Request.Path;
        var dashboard = path.StartsWithSegments("/admin") || path.StartsWithSegments("/hangfire");
        if (dashboard && !Open.Any(o => path.StartsWithSegments(o)) && http.User.Identity is { IsAuthenticated: true } identity &&
            identity.AuthenticationType != ApiKeyAuthentication.Scheme &&
            await http.RequestServices.GetRequiredService<TwoFactorRequirement>().HoldsBackAsync(http.User, http.RequestAborted))
        {
            http.Response.Redirect(TwoFactorRequirement.SetupPath);
            return;
        }
        await next(http);
    });
}
