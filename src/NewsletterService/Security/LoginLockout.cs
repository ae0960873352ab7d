using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;

namespace NewsletterService.Security;

/// <summary>
/// Counts failed logins per address in the <see cref="LoginFailure"/> table with single atomic statements, so that
/// processes failing at the same moment neither lose a count nor lock twice. <c>MaxFailedLogins</c> failures in a row,
/// each less than <c>LockoutDuration</c> after the one before, lock the address for <c>LockoutDuration</c>.
/// </summary>
public static class LoginLockout
{
    public static async Task<TimeSpan> RemainingAsync(NewsletterDb db, string email, DateTimeOffset now, CancellationToken ct)
    {
        var hash = LoginFailure.HashOf(email);
        var until = await db.LoginFailures.AsNoTracking().Where(f => f.EmailHash == hash).Select(f => f.LockedUntil).FirstOrDefaultAsync(ct);
        return until is { } u && u > now.UtcDateTime ? u - now.UtcDateTime : TimeSpan.Zero;
    }

    public static Task ClearAsync(NewsletterDb db, string email, CancellationToken ct)
    {
        var hash = LoginFailure.HashOf(email);
        return db.LoginFailures.Where(f => f.EmailHash == hash).ExecuteDeleteAsync(ct);
    }

    /// <summary>Counts a failure; true when it was the one that locked the address.</summary>
    public static async Task<bool> FailAsync(NewsletterDb db, string email, DateTimeOffset now, int maxFailures, TimeSpan lockout, CancellationToken ct)
    {
        var hash = LoginFailure.HashOf(email);
        var at = now.UtcDateTime;
        var stale = at - lockout;
        if (await CountAsync(db, hash, at, stale, ct) == 0)
        {
            // Rows nobody has failed on for a lock-out period mean nothing any more: made-up addresses do not pile up.
            await db.LoginFailures.Where(f => f.UpdatedAt < stale && (f.LockedUntil == null || f.LockedUntil < at)).ExecuteDeleteAsync(ct);
            try
            {
                db.LoginFailures.Add(new LoginFailure { EmailHash = hash, Failures = 1, UpdatedAt = at });
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear(); // another process added the row a moment ago: count on it
                await CountAsync(db, hash, at, stale, ct);
            }
        }
        return await db.LoginFailures.Where(f => f.EmailHash == hash && f.Failures >= maxFailures)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.Failures, 0).SetProperty(f => f.LockedUntil, at + lockout), ct) == 1;
    }

    private static Task<int> CountAsync(NewsletterDb db, string hash, DateTime at, DateTime stale, CancellationToken ct) =>
        db.LoginFailures.Where(f => f.EmailHash == hash).ExecuteUpdateAsync(s => s
            .SetProperty(f => f.Failures, f => f.UpdatedAt < stale ? 1 : f.Failures + 1)
            .SetProperty(f => f.UpdatedAt, at), ct);
}
