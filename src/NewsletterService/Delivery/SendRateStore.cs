using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;
using Npgsql;

namespace NewsletterService.Delivery;

/// <summary>
/// The shared counts behind every process's <see cref="SharedSendThrottle"/> (table <c>SendRateBuckets</c>). A
/// reservation is one short transaction that only one process at a time runs per limit (PostgreSQL:
/// <c>pg_advisory_xact_lock</c> on the limit; SQLite: <c>BEGIN IMMEDIATE</c>, the one writer), so what it reads is what
/// it adds to: processes together never get more than the limit. The clock is read once the lock is held.
/// </summary>
public sealed class SendRateStore(IDbContextFactory<NewsletterDb> dbs, TimeProvider time)
{
    /// <summary>Classes this service's advisory locks apart from anybody else's (two-key form).</summary>
    private const int LockClass = 0x5E4D;

    /// <summary>How long buckets are kept after no limit looks at them any more.</summary>
    private const long PruneMarginSeconds = 60;

    /// <summary>Permits granted for <see cref="Slot"/> (see <see cref="SendLimit.SlotOf"/>), or none and when to ask again.</summary>
    public readonly record struct Grant(long Slot, int Permits, DateTimeOffset RetryAt);

    /// <summary>Permits a process took for an earlier slot and did not use: they are given back, as never sent.</summary>
    public readonly record struct Unused(long Slot, int Permits);

    private readonly record struct Usage(long InRange, long InSlot, long? Oldest);

    /// <summary>
    /// In one transaction: gives <paramref name="unused"/> back, grants up to <paramref name="want"/>
    /// permits for the current slot within what the rate and the window still allow, and, when <paramref name="prune"/>,
    /// deletes the limit's buckets that no rule looks at any more.
    /// </summary>
    public Task<Grant> ReserveAsync(SendLimit limit, int want, Unused? unused, bool prune, CancellationToken ct) =>
        InTransactionAsync(limit, async (connection, tx) =>
        {
            if (unused is { } back) await GiveBackAsync(connection, tx, limit, back, ct);
            return await GrantAsync(connection, tx, limit, want, prune, ct);
        }, ct);

    /// <summary>Gives <paramref name="unused"/> back on its own, when no reservation follows soon to take it along.</summary>
    public Task GiveBackAsync(SendLimit limit, Unused unused, CancellationToken ct) =>
        InTransactionAsync(limit, async (connection, tx) =>
        {
            await GiveBackAsync(connection, tx, limit, unused, ct);
            return true;
        }, ct);

    /// <summary>Runs <paramref name="work"/> in a transaction that holds the limit's lock; again when the database was busy.</summary>
    private async Task<T> InTransactionAsync<T>(SendLimit limit, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = await dbs.CreateDbContextAsync(ct);
                await db.Database.OpenConnectionAsync(ct);
                var connection = db.Database.GetDbConnection();
                var sqlite = connection as SqliteConnection;
                if (sqlite is not null)
                {
                    // Short waits for the writer lock (Microsoft.Data.Sqlite retries a busy statement for DefaultTimeout
                    // seconds), then again here: a waiting caller stays cancellable.
                    sqlite.DefaultTimeout = 1;
                    await connection.ExecuteAsync(null, "PRAGMA busy_timeout = 100", ct);
                }

                await using var tx = sqlite is not null
                    ? sqlite.BeginTransaction(deferred: false) // BEGIN IMMEDIATE: the writer lock first, so the reads stay true
                    : await connection.BeginTransactionAsync(ct);
                if (sqlite is null)
                    await connection.ExecuteAsync(tx, "SELECT pg_advisory_xact_lock(@class, hashtext(@scope))", ct,
                        ("@class", LockClass), ("@scope", limit.Scope));
                var result = await work(connection, tx);
                await tx.CommitAsync(CancellationToken.None); // once granted, the permits are this process's: no cancelling half-way
                return result;
            }
            catch (DbException e) when (IsBusy(e) && attempt < 50 && !ct.IsCancellationRequested)
            {
                // Another writer held the database (SQLite) or the connection dropped: nothing was done; again.
                await Task.Delay(10 * Math.Min(attempt, 10), ct);
            }
        }
    }

    private async Task<Grant> GrantAsync(
        DbConnection connection, DbTransaction tx, SendLimit limit, int want, bool prune, CancellationToken ct)
    {
        var now = time.GetUtcNow(); // read under the lock: the slot granted is the current one
        var tenth = now.ToUnixTimeMilliseconds() / 100;
        var second = now.ToUnixTimeSeconds();
        var granted = (long)want;
        var retryAt = DateTimeOffset.MinValue;

        if (limit.PerSecond > 0)
        {
            // At most PerTenth in this tenth, at most PerSecond in the ten tenths up to it.
            var rate = await UsageAsync(connection, tx, limit.RateRows, tenth - 9, tenth, ct);
            var room = Math.Min(limit.PerTenth - rate.InSlot, limit.PerSecond - rate.InRange);
            granted = Math.Min(granted, room);
            if (room <= 0) retryAt = Max(retryAt, FromTenth(rate.InRange >= limit.PerSecond ? rate.Oldest!.Value + 10 : tenth + 1));
        }
        if (limit.WindowMessages > 0)
        {
            var window = await UsageAsync(connection, tx, limit.WindowRows, second - limit.WindowSeconds, second, ct);
            var room = limit.WindowMessages - window.InRange;
            granted = Math.Min(granted, room);
            // The window has room again once its oldest non-empty second drops out of it.
            if (room <= 0) retryAt = Max(retryAt, DateTimeOffset.FromUnixTimeSeconds(window.Oldest!.Value + limit.WindowSeconds + 1));
        }

        if (granted > 0)
        {
            if (limit.PerSecond > 0) await AddAsync(connection, tx, limit.RateRows, tenth, granted, ct);
            if (limit.WindowMessages > 0) await AddAsync(connection, tx, limit.WindowRows, second, granted, ct);
        }
        if (prune)
        {
            if (limit.PerSecond > 0) await PruneAsync(connection, tx, limit.RateRows, tenth - 10 - PruneMarginSeconds * 10, ct);
            if (limit.WindowMessages > 0)
                await PruneAsync(connection, tx, limit.WindowRows, second - limit.WindowSeconds - PruneMarginSeconds, ct);
        }
        return new Grant(limit.SlotOf(now), (int)Math.Max(0, granted), granted > 0 ? now : retryAt);
    }

    private static async Task GiveBackAsync(DbConnection connection, DbTransaction tx, SendLimit limit, Unused unused, CancellationToken ct)
    {
        if (limit.PerSecond > 0) await SubtractAsync(connection, tx, limit.RateRows, unused.Slot, unused.Permits, ct);
        if (limit.WindowMessages > 0)
            await SubtractAsync(connection, tx, limit.WindowRows, limit.PerSecond > 0 ? unused.Slot / 10 : unused.Slot, unused.Permits, ct);
    }

    private static DateTimeOffset FromTenth(long tenth) => DateTimeOffset.FromUnixTimeMilliseconds(tenth * 100);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>
    /// Permits in slots <paramref name="from"/>..<paramref name="slot"/>, in <paramref name="slot"/> alone, and the oldest
    /// slot that has any.
    /// </summary>
    private static async Task<Usage> UsageAsync(
        DbConnection connection, DbTransaction tx, string scope, long from, long slot, CancellationToken ct)
    {
        await using var read = connection.Command(tx, """
            SELECT COALESCE(SUM("Permits"), 0), COALESCE(SUM(CASE WHEN "Slot" = @slot THEN "Permits" ELSE 0 END), 0),
                   MIN(CASE WHEN "Permits" > 0 THEN "Slot" END)
            FROM "SendRateBuckets" WHERE "Scope" = @scope AND "Slot" >= @from AND "Slot" <= @slot
            """, ("@slot", slot), ("@scope", scope), ("@from", from));
        await using var row = await read.ExecuteReaderAsync(ct);
        await row.ReadAsync(ct);
        return new Usage(Convert.ToInt64(row.GetValue(0)), Convert.ToInt64(row.GetValue(1)),
            row.IsDBNull(2) ? null : Convert.ToInt64(row.GetValue(2)));
    }

    private static Task AddAsync(DbConnection connection, DbTransaction tx, string scope, long slot, long permits, CancellationToken ct) =>
        connection.ExecuteAsync(tx, """
            INSERT INTO "SendRateBuckets" ("Scope", "Slot", "Permits") VALUES (@scope, @slot, @permits)
            ON CONFLICT ("Scope", "Slot") DO UPDATE SET "Permits" = "SendRateBuckets"."Permits" + excluded."Permits"
            """, ct, ("@scope", scope), ("@slot", slot), ("@permits", (int)permits));

    private static Task SubtractAsync(
        DbConnection connection, DbTransaction tx, string scope, long slot, int permits, CancellationToken ct) =>
        connection.ExecuteAsync(tx, """
            UPDATE "SendRateBuckets" SET "Permits" = CASE WHEN "Permits" > @permits THEN "Permits" - @permits ELSE 0 END
            WHERE "Scope" = @scope AND "Slot" = @slot
            """, ct, ("@permits", permits), ("@scope", scope), ("@slot", slot));

    private static Task PruneAsync(DbConnection connection, DbTransaction tx, string scope, long before, CancellationToken ct) =>
        connection.ExecuteAsync(tx, """DELETE FROM "SendRateBuckets" WHERE "Scope" = @scope AND "Slot" < @before""", ct,
            ("@scope", scope), ("@before", before));

    private static bool IsBusy(DbException e) =>
        e is SqliteException { SqliteErrorCode: 5 or 6 } // SQLITE_BUSY, SQLITE_LOCKED
        || e is NpgsqlException { IsTransient: true };
}
