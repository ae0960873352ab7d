using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Data;

namespace NewsletterService.Security;

/// <summary>
/// Server-side dashboard sessions (<see cref="AdminSession"/>): created at login, checked on every request that
/// carries the login cookie, deleted at logout, all deleted when the admin's password changes.
/// </summary>
public sealed class AdminSessions(IDbContextFactory<NewsletterDb> dbs, IOptions<AdminOptions> options, TimeProvider time)
{
    public const string ClaimType = "newsletter:session";

    /// <summary>A session's last-seen time is written at most this often, not on every request.</summary>
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    /// <summary>Starts a session; its id goes into the login cookie. Sessions idle past their timeout are deleted.</summary>
    public async Task<Claim> StartAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var id = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        await using var db = await dbs.CreateDbContextAsync(ct);
        var idle = now - options.Value.SessionTimeout;
        await db.AdminSessions.Where(s => s.LastSeenAt < idle).ExecuteDeleteAsync(ct);
        db.AdminSessions.Add(new AdminSession { Id = id, CreatedAt = now, LastSeenAt = now });
        await db.SaveChangesAsync(ct);
        return new Claim(ClaimType, id);
    }

    public async Task EndAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (user.FindFirstValue(ClaimType) is not { } id) return;
        await using var db = await dbs.CreateDbContextAsync(ct);
        await db.AdminSessions.Where(s => s.Id == id).ExecuteDeleteAsync(ct);
    }

    /// <summary>Ends every session (the admin's password or e-mail changed).</summary>
    public static Task<int> EndAllAsync(NewsletterDb db, CancellationToken ct) => db.AdminSessions.ExecuteDeleteAsync(ct);

    /// <summary>The cookie handler's <c>OnValidatePrincipal</c>: a cookie whose session is over gets the login page.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<AdminSessions>();
        if (await sessions.IsActiveAsync(context.Principal!, context.HttpContext.RequestAborted)) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(AdminLogin.Scheme);
    }

    private async Task<bool> IsActiveAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (user.FindFirstValue(ClaimType) is not { } id) return false;
        if (!string.Equals(user.Identity?.Name, options.Value.Email.Trim(), StringComparison.OrdinalIgnoreCase)) return false;
        var now = time.GetUtcNow().UtcDateTime;
        var idle = now - options.Value.SessionTimeout;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var lastSeen = await db.AdminSessions.AsNoTracking().Where(s => s.Id == id)
            .Select(s => (DateTime?)s.LastSeenAt).FirstOrDefaultAsync(ct);
        if (lastSeen is not { } seen || seen < idle) return false;
        if (now - seen >= TouchEvery)
            await db.AdminSessions.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), ct);
        return true;
    }
}
