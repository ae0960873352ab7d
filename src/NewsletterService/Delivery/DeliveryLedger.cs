using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;

namespace NewsletterService.Delivery;

/// <summary>
/// The delivery ledger: the queries that find and claim a campaign's rows, and a batch's handle for recording each
/// reader's result through the process's <see cref="LedgerWriter"/> (<see cref="RecordAsync"/> completes once the row is
/// committed; the next message in the sender's <see cref="SendSlots"/> slot waits for that before it ends, so after a
/// crash at most one accepted message per connection is not yet on record, and only those can go out twice).
/// </summary>
public sealed class DeliveryLedger : IAsyncDisposable
{
    private readonly LedgerWriter.Session _session;
    private readonly Action<LedgerWriter.Session> _release;
    private readonly Lock _lock = new();
    private Task _last = Task.CompletedTask;

    internal DeliveryLedger(LedgerWriter.Session session, Action<LedgerWriter.Session> release)
    {
        _session = session;
        _release = release;
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
        lock (_lock) return _last = _session.Record(recipient, result); // the last in the writer's order is the last here
    }

    /// <summary>Waits until every result recorded here is written (the writer commits in order); throws if writing failed.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _last;
        }
        finally
        {
            _release(_session);
        }
    }
}
