using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Data;

namespace NewsletterService.Security;

/// <summary>
/// Server-side dashboard sessions (<see cref="AdminSession"/>): created at sign-in, checked on every request that
/// carries the login cookie together with the account (its security stamp, whether it is disabled, its role today),
/// deleted at logout. A new password, a disabled or removed account ends its sessions on every web process at once.
/// </summary>
public sealed class AdminSessions(IDbContextFactory<NewsletterDb> dbs, IOptions<AdminOptions> options, TimeProvider time)
{
    public const string ClaimType = "newsletter:session";

    /// <summary>A session's last-seen time is written at most this often, not on every request.</summary>
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    /// <summary>Starts a session of <paramref name="userId"/>; its id goes into the login cookie. Idle sessions are deleted.</summary>
    public async Task<Claim> StartAsync(string userId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var id = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        await using var db = await dbs.CreateDbContextAsync(ct);
        var idle = now - options.Value.SessionTimeout;
        await db.AdminSessions.Where(s => s.LastSeenAt < idle).ExecuteDeleteAsync(ct);
        db.AdminSessions.Add(new AdminSession { Id = id, UserId = userId, CreatedAt = now, LastSeenAt = now });
        await db.SaveChangesAsync(ct);
        return new Claim(ClaimType, id);
    }

    public async Task EndAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (user.FindFirstValue(ClaimType) is not { } id) return;
        await using var db = await dbs.CreateDbContextAsync(ct);
        await db.AdminSessions.Where(s => s.Id == id).ExecuteDeleteAsync(ct);
    }

    /// <summary>Ends every session of one account (its password changed, it was disabled).</summary>
    public static Task<int> EndAllAsync(NewsletterDb db, string userId, CancellationToken ct) =>
        db.AdminSessions.Where(s => s.UserId == userId).ExecuteDeleteAsync(ct);

    /// <summary>
    /// The cookie handler's <c>OnValidatePrincipal</c>: a cookie whose session is over, whose account's security stamp
    /// changed or whose account is disabled gets the login page; otherwise the account's current role replaces the
    /// one in the cookie, so that a role change applies to the next request.
    /// </summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<AdminSessions>();
        var identity = context.HttpContext.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        if (await sessions.CurrentRoleAsync(context.Principal!, identity, context.HttpContext.RequestAborted) is { } role)
        {
            var current = new ClaimsIdentity(context.Principal!.Claims.Where(c => c.Type != identity.RoleClaimType),
                context.Principal.Identity!.AuthenticationType, identity.UserNameClaimType, identity.RoleClaimType);
            current.AddClaim(new Claim(identity.RoleClaimType, role));
            context.ReplacePrincipal(new ClaimsPrincipal(current));
            return;
        }
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(AdminLogin.Scheme);
    }

    /// <summary>The account's role if the session is still valid, else null (one query).</summary>
    private async Task<string?> CurrentRoleAsync(ClaimsPrincipal user, ClaimsIdentityOptions claims, CancellationToken ct)
    {
        if (user.FindFirstValue(ClaimType) is not { } id) return null;
        var stamp = user.FindFirstValue(claims.SecurityStampClaimType);
        var now = time.GetUtcNow().UtcDateTime;
        var idle = now - options.Value.SessionTimeout;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var row = await (from s in db.AdminSessions
                         where s.Id == id
                         join u in db.Users on s.UserId equals u.Id
                         select new
                         {
                             s.LastSeenAt, u.SecurityStamp, u.LockoutEnd,
                             // Role ids are the role names (seeded with the schema): no join with Roles needed.
                             Role = (from ur in db.UserRoles where ur.UserId == u.Id select ur.RoleId).FirstOrDefault(),
                         }).AsNoTracking().FirstOrDefaultAsync(ct);
        if (row is null || row.LastSeenAt < idle || row.SecurityStamp != stamp || row.Role is null) return null;
        if (Accounts.Account.Disables(row.LockoutEnd)) return null;
        if (now - row.LastSeenAt >= TouchEvery)
            await db.AdminSessions.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), ct);
        return row.Role;
    }
}
