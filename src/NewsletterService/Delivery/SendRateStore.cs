using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;
using Npgsql;

namespace NewsletterService.Delivery;

/// <summary>
/// The shared counts behind every process's <see cref="SharedSendThrottle"/>: table <c>SendRateBuckets</c>, one row per
/// scope and second. A reservation is one short transaction that only one process at a time runs per scope
/// (PostgreSQL: <c>pg_advisory_xact_lock</c> on the scope; SQLite: <c>BEGIN IMMEDIATE</c>, the one writer), so what
/// it reads is what it adds to: processes together never get more than the limit.
/// </summary>
public sealed class SendRateStore(IDbContextFactory<NewsletterDb> dbs)
{
    /// <summary>Classes this service's advisory locks apart from anybody else's (two-key form).</summary>
    private const int LockClass = 0x5E4D;

    /// <summary>How long old buckets are kept beyond the window.</summary>
    public static readonly TimeSpan PruneMargin = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Permits granted for the second <see cref="Second"/>, or none and when to ask again (<see cref="RetryAt"/>).
    /// </summary>
    public readonly record struct Grant(long Second, int Permits, DateTimeOffset RetryAt);

    /// <summary>Permits a process took for an earlier second and did not use: they go back to the window.</summary>
    public readonly record struct Unused(long Second, int Permits);

    /// <summary>
    /// In one transaction: gives back <paramref name="unused"/>, grants up to <see cref="SendLimit.Chunk"/> permits for
    /// the second of <paramref name="now"/> within what its tenth and the window still allow, and, when
    /// <paramref name="prune"/>, deletes the scope's buckets that no window looks at any more.
    /// </summary>
    public async Task<Grant> ReserveAsync(SendLimit limit, DateTimeOffset now, Unused? unused, bool prune, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ReserveOnceAsync(limit, now, unused, prune, ct);
            }
            catch (DbException e) when (IsBusy(e) && attempt < 50 && !ct.IsCancellationRequested)
            {
                // Another writer held the database (SQLite) or the connection dropped: nothing was granted; ask again.
                await Task.Delay(10 * Math.Min(attempt, 10), ct);
            }
        }
    }

    private async Task<Grant> ReserveOnceAsync(SendLimit limit, DateTimeOffset now, Unused? unused, bool prune, CancellationToken ct)
    {
        var second = now.ToUnixTimeSeconds();
        var tenth = (int)(now.ToUnixTimeMilliseconds() - second * 1000) / 100;

        await using var db = await dbs.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        var postgres = db.Database.IsNpgsql();
        if (!postgres)
            await ExecuteAsync(connection, null, "PRAGMA busy_timeout = 250", ct); // short waits for the writer lock, retried here: stays cancellable

        await using var tx = connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: false) // BEGIN IMMEDIATE: the writer lock first, so the read below stays true
            : await connection.BeginTransactionAsync(ct);
        if (postgres)
            await ExecuteAsync(connection, tx, "SELECT pg_advisory_xact_lock(@class, hashtext(@scope))", ct, ("@class", LockClass), ("@scope", limit.Scope));

        if (unused is { Permits: > 0 } back && limit.WindowMessages > 0)
            await ExecuteAsync(connection, tx, """
                UPDATE "SendRateBuckets" SET "Permits" = CASE WHEN "Permits" > @permits THEN "Permits" - @permits ELSE 0 END
                WHERE "Scope" = @scope AND "UnixSecond" = @second
                """, ct, ("@permits", back.Permits), ("@scope", limit.Scope), ("@second", back.Second));

        long thisSecond, inWindow;
        long? oldest;
        await using (var read = Command(connection, tx, """
            SELECT COALESCE(SUM(CASE WHEN "UnixSecond" = @second THEN "Permits" ELSE 0 END), 0), COALESCE(SUM("Permits"), 0),
                   MIN(CASE WHEN "Permits" > 0 THEN "UnixSecond" END)
            FROM "SendRateBuckets" WHERE "Scope" = @scope AND "UnixSecond" >= @from AND "UnixSecond" <= @second
            """, ("@second", second), ("@scope", limit.Scope), ("@from", second - limit.WindowSeconds)))
        await using (var row = await read.ExecuteReaderAsync(ct))
        {
            await row.ReadAsync(ct);
            thisSecond = Convert.ToInt64(row.GetValue(0));
            inWindow = Convert.ToInt64(row.GetValue(1));
            oldest = row.IsDBNull(2) ? null : Convert.ToInt64(row.GetValue(2));
        }

        var inSecond = limit.CapAt(tenth) - thisSecond;
        var inThisWindow = limit.WindowMessages > 0 ? limit.WindowMessages - inWindow : long.MaxValue;
        var granted = (int)Math.Max(0, Math.Min(limit.Chunk, Math.Min(inSecond, inThisWindow)));
        if (granted > 0)
            await ExecuteAsync(connection, tx, """
                INSERT INTO "SendRateBuckets" ("Scope", "UnixSecond", "Permits") VALUES (@scope, @second, @permits)
                ON CONFLICT ("Scope", "UnixSecond") DO UPDATE SET "Permits" = "SendRateBuckets"."Permits" + excluded."Permits"
                """, ct, ("@scope", limit.Scope), ("@second", second), ("@permits", granted));
        if (prune)
            await ExecuteAsync(connection, tx, """DELETE FROM "SendRateBuckets" WHERE "Scope" = @scope AND "UnixSecond" < @before""", ct,
                ("@scope", limit.Scope), ("@before", second - limit.WindowSeconds - (long)PruneMargin.TotalSeconds));
        await tx.CommitAsync(CancellationToken.None); // once granted, the permits are this process's: no cancelling half-way

        return new Grant(second, granted, granted > 0 ? now : RetryAt(limit, second, tenth, thisSecond, inThisWindow, oldest));
    }

    /// <summary>When the limits that held this reservation back can grant again: the next tenth, second, or the window's turn.</summary>
    private static DateTimeOffset RetryAt(SendLimit limit, long second, int tenth, long thisSecond, long inThisWindow, long? oldest)
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(second);
        var retry = at;
        if (limit.PerSecond > 0 && thisSecond >= limit.CapAt(tenth))
            retry = thisSecond >= limit.PerSecond ? at.AddSeconds(1) : at.AddMilliseconds(100 * (tenth + 1));
        if (inThisWindow <= 0)
        {
            // The window has room again once its oldest non-empty second drops out of it.
            var reopens = DateTimeOffset.FromUnixTimeSeconds((oldest ?? second) + limit.WindowSeconds + 1);
            if (reopens > retry) retry = reopens;
        }
        return retry;
    }

    private static bool IsBusy(DbException e) =>
        e is SqliteException { SqliteErrorCode: 5 or 6 } // SQLITE_BUSY, SQLITE_LOCKED
        || e is NpgsqlException { IsTransient: true };

    private static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        await command.ExecuteNonQueryAsync(ct);
    }
}
