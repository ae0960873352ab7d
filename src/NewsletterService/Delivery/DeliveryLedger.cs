using System.Threading.Channels;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;
using NewsletterService.Subscriptions;

namespace NewsletterService.Delivery;

/// <summary>
/// Records what happened to each delivery of a batch, in group commits on one connection: whatever arrived while the
/// previous transaction ran goes into the next one. <see cref="SentAsync"/> completes once the row is committed; a
/// sender holds its <see cref="SendSlots"/> slot until then, so after a crash at most one accepted message per
/// connection is not yet on record, and only those can go out twice.
/// </summary>
public sealed class DeliveryLedger : IAsyncDisposable
{
    private enum Kind { Sent, Failed, Deferred, Skipped }
    private sealed record Outcome(Kind Kind, long DeliveryId, long SubscriberId, string? Reason, DateTime? RetryAt, bool Bounce, TaskCompletionSource? Written);

    private readonly IDbContextFactory<NewsletterDb> _dbs;
    private readonly TimeProvider _time;
    private readonly Channel<Outcome> _outcomes = Channel.CreateUnbounded<Outcome>(new() { SingleReader = true });
    private readonly Task _writer;

    public DeliveryLedger(IDbContextFactory<NewsletterDb> dbs, TimeProvider time)
    {
        _dbs = dbs;
        _time = time;
        _writer = Task.Run(WriteLoopAsync);
    }

    public Task SentAsync(long deliveryId)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Add(new(Kind.Sent, deliveryId, 0, null, null, false, written));
        return written.Task;
    }

    public void Skipped(long deliveryId, string reason) => Add(new(Kind.Skipped, deliveryId, 0, reason, null, false, null));
    public void Failed(long deliveryId, long subscriberId, string reason, bool bounce) => Add(new(Kind.Failed, deliveryId, subscriberId, reason, null, bounce, null));
    public void Deferred(long deliveryId, string reason, DateTime retryAt) => Add(new(Kind.Deferred, deliveryId, 0, reason, retryAt, false, null));

    private void Add(Outcome outcome)
    {
        if (!_outcomes.Writer.TryWrite(outcome)) outcome.Written?.TrySetException(new InvalidOperationException("The ledger is closed."));
    }

    /// <summary>Waits until every outcome is written; throws if writing failed.</summary>
    public async ValueTask DisposeAsync()
    {
        _outcomes.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteLoopAsync()
    {
        await using var db = await _dbs.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        // PostgreSQL: a ledger commit need not wait for its WAL flush. A killed service loses nothing (the server has
        // the commit); only a crash of the database server itself could forget the last few hundred milliseconds, and
        // those deliveries would be sent again. SQLite already runs WAL with synchronous=NORMAL.
        var postgres = db.Database.IsNpgsql();
        using var asyncCommit = postgres ? Command(connection, "SET LOCAL synchronous_commit = off") : null;
        // All of a group's sent rows in one statement (one round trip to PostgreSQL): an array there, JSON in SQLite.
        using var sent = Command(connection, $"""
            UPDATE "Deliveries" SET "Status" = '{DeliveryStatus.Sent}', "SentAt" = @now, "Attempts" = "Attempts" + 1, "Error" = NULL,
              "ClaimToken" = NULL, "ClaimedUntil" = NULL
            WHERE "Id" {(postgres ? "= ANY(@ids)" : "IN (SELECT value FROM json_each(@ids))")}
            """, "@now", "@ids");
        using var other = Command(connection, """
            UPDATE "Deliveries" SET "Status" = @status, "Error" = @reason, "Attempts" = "Attempts" + @attempted, "NextAttemptAt" = @retryAt,
              "ClaimToken" = NULL, "ClaimedUntil" = NULL WHERE "Id" = @id
            """, "@status", "@reason", "@attempted", "@retryAt", "@id");
        using var bounce = Command(connection, SubscriberTransitions.BounceSql, "@id");

        var group = new List<Outcome>();
        while (await _outcomes.Reader.WaitToReadAsync())
        {
            while (group.Count < 2000 && _outcomes.Reader.TryRead(out var outcome)) group.Add(outcome);
            group.Sort((a, b) => a.DeliveryId.CompareTo(b.DeliveryId)); // rows locked in id order, as claims lock them
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using (var tx = await connection.BeginTransactionAsync())
                    {
                        if (asyncCommit is not null) await RunAsync(asyncCommit, tx);
                        var sentIds = group.Where(o => o.Kind == Kind.Sent).Select(o => o.DeliveryId).ToArray();
                        if (sentIds.Length > 0)
                            await RunAsync(sent, tx, _time.GetUtcNow().UtcDateTime, postgres ? sentIds : $"[{string.Join(',', sentIds)}]");
                        foreach (var o in group.Where(o => o.Kind != Kind.Sent)) await WriteAsync(o, tx);
                        await tx.CommitAsync();
                    }
                    break;
                }
                catch (DbException) when (attempt < 5)
                {
                    // A deadlock with another process's claim, a busy database: the transaction rolled back; write it again.
                    await Task.Delay(50 * attempt);
                }
                catch (Exception e)
                {
                    // Nothing more can be recorded: fail the waiting senders and refuse new outcomes, so the batch stops.
                    _outcomes.Writer.TryComplete(e);
                    foreach (var o in group) o.Written?.TrySetException(e);
                    while (_outcomes.Reader.TryRead(out var left)) left.Written?.TrySetException(e);
                    throw;
                }
            }
            foreach (var o in group) o.Written?.TrySetResult();
            group.Clear();
        }

        async Task WriteAsync(Outcome o, DbTransaction tx)
        {
            var status = o.Kind switch { Kind.Deferred => DeliveryStatus.Pending, Kind.Skipped => DeliveryStatus.Skipped, _ => DeliveryStatus.Failed };
            await RunAsync(other, tx, status.ToString(), o.Reason, o.Kind == Kind.Skipped ? 0 : 1, o.RetryAt, o.DeliveryId);
            if (o.Bounce) await RunAsync(bounce, tx, o.SubscriberId);
        }
    }

    private static DbCommand Command(DbConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static Task<int> RunAsync(DbCommand command, DbTransaction tx, params object?[] values)
    {
        command.Transaction = tx;
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        return command.ExecuteNonQueryAsync();
    }
}
