using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;
using NewsletterService.Subscriptions;

namespace NewsletterService.Delivery;

/// <summary>
/// Records what happened to each delivery of a batch. Outcomes are written as they come, in group commits: whatever
/// arrived while the previous transaction ran goes into the next one, so the ledger trails the SMTP server by
/// milliseconds and a crash can repeat only the messages whose acceptance was not yet written.
/// </summary>
public sealed class DeliveryLedger : IAsyncDisposable
{
    private enum Kind { Sent, Failed, Deferred, Skipped }
    private sealed record Outcome(Kind Kind, long DeliveryId, long SubscriberId, string? Reason, DateTime? RetryAt, bool Bounce);

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

    public void Sent(long deliveryId) => Add(new(Kind.Sent, deliveryId, 0, null, null, false));
    public void Skipped(long deliveryId, string reason) => Add(new(Kind.Skipped, deliveryId, 0, reason, null, false));
    public void Failed(long deliveryId, long subscriberId, string reason, bool bounce) => Add(new(Kind.Failed, deliveryId, subscriberId, reason, null, bounce));
    public void Deferred(long deliveryId, string reason, DateTime retryAt) => Add(new(Kind.Deferred, deliveryId, 0, reason, retryAt, false));

    private void Add(Outcome outcome) => _outcomes.Writer.TryWrite(outcome);

    /// <summary>Waits until every outcome is written; throws if writing failed.</summary>
    public async ValueTask DisposeAsync()
    {
        _outcomes.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteLoopAsync()
    {
        var group = new List<Outcome>();
        while (await _outcomes.Reader.WaitToReadAsync())
        {
            while (group.Count < 2000 && _outcomes.Reader.TryRead(out var outcome)) group.Add(outcome);
            await WriteAsync(group);
            group.Clear();
        }
    }

    private async Task WriteAsync(List<Outcome> group)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        await using var db = await _dbs.CreateDbContextAsync();
        await using var tx = await db.Database.BeginTransactionAsync();

        var sent = group.Where(o => o.Kind == Kind.Sent).Select(o => o.DeliveryId).ToList();
        if (sent.Count > 0)
            await db.Deliveries.Where(d => sent.Contains(d.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.Sent).SetProperty(d => d.SentAt, now)
                .SetProperty(d => d.Attempts, d => d.Attempts + 1).SetProperty(d => d.Error, (string?)null)
                .SetProperty(d => d.ClaimToken, (string?)null).SetProperty(d => d.ClaimedUntil, (DateTime?)null));

        foreach (var o in group.Where(o => o.Kind != Kind.Sent))
        {
            var status = o.Kind switch { Kind.Deferred => DeliveryStatus.Pending, Kind.Skipped => DeliveryStatus.Skipped, _ => DeliveryStatus.Failed };
            var attempted = o.Kind == Kind.Skipped ? 0 : 1;
            await db.Deliveries.Where(d => d.Id == o.DeliveryId).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, status).SetProperty(d => d.Error, o.Reason)
                .SetProperty(d => d.Attempts, d => d.Attempts + attempted).SetProperty(d => d.NextAttemptAt, o.RetryAt)
                .SetProperty(d => d.ClaimToken, (string?)null).SetProperty(d => d.ClaimedUntil, (DateTime?)null));
        }

        var bounced = group.Where(o => o.Bounce).Select(o => o.SubscriberId).ToList();
        if (bounced.Count > 0)
            await db.Subscribers.Where(s => bounced.Contains(s.Id) && s.Status == SubscriberStatus.Confirmed)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SubscriberStatus.Bounced));

        await tx.CommitAsync();
    }
}
