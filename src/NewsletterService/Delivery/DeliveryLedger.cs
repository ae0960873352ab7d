using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Bounces;
using NewsletterService.Data;
using NewsletterService.Subscriptions;

namespace NewsletterService.Delivery;

/// <summary>
/// Records what happened to each delivery of a batch, in group commits on one connection: whatever arrived while the
/// previous transaction ran goes into the next one. <see cref="RecordAsync"/> completes once the row is committed; the
/// next message in the sender's <see cref="SendSlots"/> slot waits for that before it ends, so after a crash at most one
/// accepted message per connection is not yet on record, and only those can go out twice.
/// </summary>
public sealed class DeliveryLedger : IAsyncDisposable
{
    private sealed record Entry(Recipient Recipient, DeliveryResult Result, TaskCompletionSource Written);

    private readonly IDbContextFactory<NewsletterDb> _dbs;
    private readonly TimeProvider _time;
    private readonly Channel<Entry> _entries = Channel.CreateUnbounded<Entry>(new() { SingleReader = true });
    private readonly Task _writer;

    public DeliveryLedger(IDbContextFactory<NewsletterDb> dbs, TimeProvider time)
    {
        _dbs = dbs;
        _time = time;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>A campaign's rows still to send: pending, or claimed by a batch that is sending them.</summary>
    public static IQueryable<DeliveryRecord> Open(NewsletterDb db, long campaignId) =>
        db.Deliveries.Where(d => d.CampaignId == campaignId &&
            (d.Status == DeliveryStatus.Pending || d.Status == DeliveryStatus.Sending));

    /// <summary>The ids of the next <paramref name="size"/> rows still to send after <paramref name="after"/>: a batch's slice.</summary>
    public static Task<List<long>> SliceAsync(NewsletterDb db, long campaignId, long after, int size, CancellationToken ct) =>
        Open(db, campaignId).Where(d => d.Id > after).OrderBy(d => d.Id).Select(d => d.Id).Take(size).ToListAsync(ct);

    /// <summary>A slice's rows that wait for a later attempt (deferred), or for a batch to claim them.</summary>
    public static IQueryable<DeliveryRecord> Waiting(NewsletterDb db, long campaignId, long firstId, long lastId) =>
        db.Deliveries.Where(d => d.CampaignId == campaignId && d.Id >= firstId && d.Id <= lastId && d.Status == DeliveryStatus.Pending);

    /// <summary>A campaign's rows whose claim ran out by <paramref name="now"/>: their batch died (see the watchdog).</summary>
    public static IQueryable<DeliveryRecord> Orphaned(NewsletterDb db, long campaignId, DateTime now) =>
        db.Deliveries.Where(d => d.CampaignId == campaignId && d.ClaimedUntil < now);

    /// <summary>
    /// The rows <paramref name="claim"/> holds in a campaign's slice, found through the campaign's index: a claim token
    /// alone has none, and the ledger keeps every campaign's rows (a scan of all of them per batch made a million-reader
    /// campaign's batches slower as it went).
    /// </summary>
    public static IQueryable<DeliveryRecord> Claimed(NewsletterDb db, long campaignId, long firstId, long lastId, string claim) =>
        db.Deliveries.Where(d => d.CampaignId == campaignId && d.Status == DeliveryStatus.Sending && d.Id >= firstId &&
                                 d.Id <= lastId && d.ClaimToken == claim);

    /// <summary>
    /// Claims a slice's rows that are due (pending and not deferred past <paramref name="now"/>, or claimed by a batch
    /// whose claim ran out) for <paramref name="claim"/>, until <paramref name="until"/>; returns how many it claimed.
    /// </summary>
    public static Task<int> ClaimAsync(
        NewsletterDb db, long campaignId, long firstId, long lastId, string claim, DateTime now, DateTime until, CancellationToken ct) =>
        db.Deliveries
            .Where(d => d.CampaignId == campaignId && d.Id >= firstId && d.Id <= lastId &&
                        ((d.Status == DeliveryStatus.Pending && (d.NextAttemptAt == null || d.NextAttemptAt <= now)) ||
                         (d.Status == DeliveryStatus.Sending && d.ClaimedUntil < now)))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Sending)
                .SetProperty(d => d.ClaimToken, claim).SetProperty(d => d.ClaimedUntil, until), ct);

    /// <summary>
    /// Hands claimed rows that were not attempted back as pending, for the next batch; when their campaign was
    /// cancelled meanwhile, as cancelled (nobody will send them).
    /// </summary>
    public static Task<int> ReleaseAsync(NewsletterDb db, IQueryable<DeliveryRecord> claimed, CancellationToken ct) =>
        claimed.Where(d => d.Status == DeliveryStatus.Sending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, d =>
                    db.Campaigns.Any(c => c.Id == d.CampaignId && c.Status == Campaigns.CampaignStatus.Cancelled)
                        ? DeliveryStatus.Cancelled : DeliveryStatus.Pending)
                .SetProperty(d => d.ClaimToken, (string?)null).SetProperty(d => d.ClaimedUntil, (DateTime?)null), ct);

    /// <summary>Records a reader's result; completes once it is committed.</summary>
    public Task RecordAsync(Recipient recipient, DeliveryResult result)
    {
        var entry = new Entry(recipient, result, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_entries.Writer.TryWrite(entry)) entry.Written.TrySetException(new InvalidOperationException("The ledger is closed."));
        return entry.Written.Task;
    }

    /// <summary>Waits until every result is written; throws if writing failed.</summary>
    public async ValueTask DisposeAsync()
    {
        _entries.Writer.TryComplete();
        await _writer;
    }

    private static string EmailKeyOf(string? email) =>
        EmailAddress.TryParse(email, out var address, out _) ? address.Key : email?.ToLowerInvariant() ?? "";

    private async Task WriteLoopAsync()
    {
        await using var db = await _dbs.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        // PostgreSQL: a ledger commit need not wait for its WAL flush. A killed service loses nothing (the server has
        // the commit); only a crash of the database server itself could forget the last few hundred milliseconds, and
        // those deliveries would be sent again. SQLite already runs WAL with synchronous=NORMAL. Set once for this
        // connection (the pool resets it when the connection goes back), not per transaction: a round trip less each.
        // Its statements find rows by primary key: PostgreSQL's plan for them never changes, but for "= ANY(@ids)" it
        // estimated a custom plan cheaper and planned every statement anew (~13% of its CPU in a send, by perf).
        var postgres = db.Database.IsNpgsql();
        if (postgres)
        {
            using var settings = connection.Command(null, "SET synchronous_commit = off; SET plan_cache_mode = force_generic_plan");
            await settings.RunAsync(null);
        }
        // All of a group's sent rows in one statement (one round trip to PostgreSQL): an array there, JSON in SQLite.
        using var sent = connection.Command(null, $"""
            UPDATE "Deliveries" SET "Status" = '{DeliveryStatus.Sent}', "SentAt" = @now, "Attempts" = "Attempts" + 1, "Error" = NULL,
              "ClaimToken" = NULL, "ClaimedUntil" = NULL
            WHERE "Id" {(postgres ? "= ANY(@ids)" : "IN (SELECT value FROM json_each(@ids))")}
            """, ("@now", null), ("@ids", null));
        using var other = connection.Command(null, """
            UPDATE "Deliveries" SET "Status" = @status, "Error" = @reason, "Attempts" = "Attempts" + @attempted, "NextAttemptAt" = @retryAt,
              "ClaimToken" = NULL, "ClaimedUntil" = NULL WHERE "Id" = @id
            """, ("@status", null), ("@reason", null), ("@attempted", null), ("@retryAt", null), ("@id", null));
        using var bounce = connection.Command(null, SubscriberTransitions.BounceSql, ("@id", null));
        using var bounceEvent = connection.Command(null, $"""
            INSERT INTO "BounceEvents" ("CampaignId", "DeliveryId", "SubscriberId", "Email", "Kind", "Source", "Status", "Diagnostic", "At")
            SELECT "CampaignId", "Id", "SubscriberId", @email, '{BounceKind.Hard}', '{BounceSource.Smtp}', @status, @diagnostic, @now
            FROM "Deliveries" WHERE "Id" = @id
            """, ("@email", null), ("@status", null), ("@diagnostic", null), ("@now", null), ("@id", null));

        var group = new List<Entry>();
        while (await _entries.Reader.WaitToReadAsync())
        {
            while (group.Count < 2000 && _entries.Reader.TryRead(out var entry)) group.Add(entry);
            group.Sort((a, b) => a.Recipient.DeliveryId.CompareTo(b.Recipient.DeliveryId)); // rows locked in id order, as claims lock them
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var sentIds = group.Where(e => e.Result.Status == DeliveryStatus.Sent).Select(e => e.Recipient.DeliveryId).ToArray();
                    var sentAt = _time.GetUtcNow().UtcDateTime;
                    object ids = postgres ? sentIds : $"[{string.Join(',', sentIds)}]";
                    if (postgres && sentIds.Length == group.Count)
                    {
                        // The usual group, all sent: one statement is its own transaction (one round trip, not three).
                        await sent.RunAsync(null, sentAt, ids);
                        break;
                    }
                    await using (var tx = await connection.BeginTransactionAsync())
                    {
                        if (sentIds.Length > 0) await sent.RunAsync(tx, sentAt, ids);
                        foreach (var (recipient, result, _) in group.Where(e => e.Result.Status != DeliveryStatus.Sent))
                        {
                            var attempted = result.Status == DeliveryStatus.Skipped ? 0 : 1;
                            await other.RunAsync(tx, result.Status.ToString(), result.Reason, attempted, result.RetryAt,
                                recipient.DeliveryId);
                            if (!result.Bounce) continue;
                            await bounce.RunAsync(tx, recipient.SubscriberId);
                            await bounceEvent.RunAsync(tx, EmailKeyOf(recipient.Email), SmtpFailure.StatusOf(result.Reason), result.Reason,
                                _time.GetUtcNow().UtcDateTime, recipient.DeliveryId);
                        }
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
                    // Nothing more can be recorded: fail the waiting senders and refuse new results, so the batch stops.
                    _entries.Writer.TryComplete(e);
                    foreach (var entry in group) entry.Written.TrySetException(e);
                    while (_entries.Reader.TryRead(out var left)) left.Written.TrySetException(e);
                    throw;
                }
            }
            foreach (var entry in group) entry.Written.TrySetResult();
            group.Clear();
        }
    }
}
