using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Data;

namespace NewsletterService.Infrastructure;

/// <summary>
/// Remembers idempotency keys in the database, so that every web process sees the same ones. The first request with a
/// key claims it by inserting its row (the primary key on scope and key lets only one insert succeed, whichever process
/// tries); a repeat waits for that request's answer and gets it back. An answer is kept for
/// <see cref="IdempotencyOptions.Retention"/>; a request that failed gives its key up, so that it can be tried again.
/// </summary>
public sealed class IdempotencyStore(IDbContextFactory<NewsletterDb> dbs, IOptions<IdempotencyOptions> options, TimeProvider time)
{
    public const int MaxKeyLength = 200;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public enum ClaimKind { Claimed, Replay, Mismatch, InProgress }

    /// <summary>What a request with a key may do: the work (<c>Claimed</c>), or answer with <see cref="Record"/>'s result.</summary>
    public readonly record struct Claim(ClaimKind Kind, IdempotencyRecord? Record = null);

    /// <summary>Null when <paramref name="key"/> can be stored: 1 to 200 printable ASCII characters.</summary>
    public static string? Invalid(string? key) =>
        string.IsNullOrEmpty(key) ? "is empty" :
        key.Length > MaxKeyLength ? $"is longer than {MaxKeyLength} characters" :
        key.Any(c => c is < ' ' or > '~') ? "may hold only printable ASCII characters" : null;

    public async Task<Claim> ClaimAsync(string scope, string key, string requestHash, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew(); // real time, whatever clock the service is given
        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow().UtcDateTime;
            if (await TryInsertAsync(new IdempotencyRecord { Scope = scope, Key = key, RequestHash = requestHash, CreatedAt = now }, ct))
                return new Claim(ClaimKind.Claimed);

            await using var db = await dbs.CreateDbContextAsync(ct);
            var first = await db.IdempotencyKeys.AsNoTracking().FirstOrDefaultAsync(r => r.Scope == scope && r.Key == key, ct);
            var late = waited.Elapsed >= options.Value.WaitForFirst;
            if (first is null)
            {
                // The first request failed and gave the key up a moment ago: claim it now (unless the insert fails for another reason).
                if (late && attempt > 3) throw new InvalidOperationException($"The idempotency key could not be stored in scope {scope}.");
                continue;
            }
            if (first.CreatedAt <= now - options.Value.Retention)
            {
                // Expired: forgotten, as if never used (only this row: a newer claim by another request stays).
                await db.IdempotencyKeys.Where(r => r.Scope == scope && r.Key == key && r.CreatedAt == first.CreatedAt)
                    .ExecuteDeleteAsync(ct);
                continue;
            }
            if (first.RequestHash != requestHash) return new Claim(ClaimKind.Mismatch, first);
            if (first.StatusCode is not null) return new Claim(ClaimKind.Replay, first);
            if (late) return new Claim(ClaimKind.InProgress, first);
            await Task.Delay(PollInterval, ct);
        }
    }

    /// <summary>Stores the first request's answer; from now on repeats get it.</summary>
    public async Task CompleteAsync(string scope, string key, int statusCode, string? contentType, string? location, string? body)
    {
        await using var db = await dbs.CreateDbContextAsync();
        var completedAt = time.GetUtcNow().UtcDateTime;
        // Not cancellable: once the work is done its answer must be kept, even when the client has gone.
        await db.IdempotencyKeys.Where(r => r.Scope == scope && r.Key == key).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.StatusCode, statusCode).SetProperty(r => r.ContentType, contentType)
            .SetProperty(r => r.Location, location).SetProperty(r => r.Body, body).SetProperty(r => r.CompletedAt, completedAt));
    }

    /// <summary>Gives the key up after the first request failed or did nothing: the next request with it does the work.</summary>
    public async Task ReleaseAsync(string scope, string key)
    {
        await using var db = await dbs.CreateDbContextAsync();
        await db.IdempotencyKeys.Where(r => r.Scope == scope && r.Key == key && r.StatusCode == null).ExecuteDeleteAsync();
    }

    /// <summary>Inserts the claim in its own transaction; false when the key is already there. Expired keys are pruned first.</summary>
    private async Task<bool> TryInsertAsync(IdempotencyRecord claim, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var expired = claim.CreatedAt - options.Value.Retention;
        await db.IdempotencyKeys.Where(r => r.CreatedAt < expired).ExecuteDeleteAsync(ct);
        db.IdempotencyKeys.Add(claim);
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            return false; // another request holds the key (a unique violation; anything else shows when the row is read)
        }
    }
}
