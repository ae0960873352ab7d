namespace NewsletterService.Delivery;

/// <summary>A sending limit: <see cref="WaitAsync"/> returns once one more message may go out.</summary>
public interface ISendThrottle
{
    /// <summary>Waits for one permit; <paramref name="ct"/> ends the wait at once (OperationCanceledException).</summary>
    ValueTask WaitAsync(CancellationToken ct);
}

/// <summary>
/// One <see cref="SendLimit"/> held by all processes together through <see cref="SendRateStore"/>. The process reserves a
/// small chunk of permits for the current second at a time, hands them out one per message, and drops what is left
/// when the second is over (giving it back to the window on the next reservation). One caller at a time reserves;
/// the others wait behind it in order.
/// </summary>
public sealed class SharedSendThrottle(SendLimit limit, SendRateStore store, TimeProvider time, ILogger log) : ISendThrottle
{
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);
    private readonly Lock _sync = new();
    private readonly SemaphoreSlim _reserving = new(1, 1);
    private long _second;
    private int _left;
    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;

    public SendLimit Limit => limit;

    public async ValueTask WaitAsync(CancellationToken ct)
    {
        if (TryTake()) return;
        await _reserving.WaitAsync(ct);
        try
        {
            while (!TryTake())
            {
                ct.ThrowIfCancellationRequested();
                var now = time.GetUtcNow();
                var prune = now >= _nextPrune;
                var grant = await store.ReserveAsync(limit, now, TakeUnused(), prune, ct);
                if (prune) _nextPrune = now + PruneEvery;
                if (grant.Permits > 0)
                {
                    lock (_sync) (_second, _left) = (grant.Second, grant.Permits);
                    continue;
                }
                var wait = grant.RetryAt - time.GetUtcNow();
                log.LogDebug("Send limit {Scope} is used up; waiting {Wait} for the next permits", limit.Scope, wait);
                if (wait > TimeSpan.Zero) await Task.Delay(wait, time, ct);
            }
        }
        finally
        {
            _reserving.Release();
        }
    }

    /// <summary>One of the permits held for the current second, if any is left.</summary>
    private bool TryTake()
    {
        var second = time.GetUtcNow().ToUnixTimeSeconds();
        lock (_sync)
        {
            if (_left == 0 || _second != second) return false;
            _left--;
            return true;
        }
    }

    /// <summary>Permits of a second that is over: no longer usable, handed back with the next reservation.</summary>
    private SendRateStore.Unused? TakeUnused()
    {
        lock (_sync)
        {
            if (_left == 0) return null;
            var unused = new SendRateStore.Unused(_second, _left);
            _left = 0;
            return unused;
        }
    }
}
