namespace NewsletterService.Delivery;

/// <summary>
/// One <see cref="SendLimit"/> kept by all processes together through <see cref="SendRateStore"/>. The process reserves
/// a few permits at a time, good for the current tenth of a second (a second when there is only a window), and hands
/// them out one per message; what is left when the slot is over is given back, with the next reservation or, when
/// none comes, on its own. Each reservation asks for twice as many as the last when those were all used, and for as
/// many as were used when some were left, up to <see cref="SendLimit.Chunk"/>. One caller at a time reserves; the
/// others wait behind it.
/// </summary>
public sealed class SharedSendThrottle(SendLimit limit, SendRateStore store, TimeProvider time, ILogger log) : ISendThrottle
{
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);
    private readonly Lock _sync = new();
    private readonly SemaphoreSlim _reserving = new(1, 1);
    private long _slot;
    private int _granted, _left;
    private int _want = 1;
    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;
    private ITimer? _slotEnd;

    public async ValueTask WaitAsync(CancellationToken ct)
    {
        if (TryTake()) return;
        await _reserving.WaitAsync(ct);
        try
        {
            while (!TryTake())
            {
                ct.ThrowIfCancellationRequested();
                var unused = TakeUnused();
                _want = unused is { } u ? Math.Max(1, _granted - u.Permits) : Math.Min(limit.Chunk, _granted == 0 ? _want : _want * 2);
                var prune = time.GetUtcNow() >= _nextPrune;
                var grant = await store.ReserveAsync(limit, _want, unused, prune, ct);
                if (prune) _nextPrune = time.GetUtcNow() + PruneEvery;
                lock (_sync) (_slot, _granted, _left) = (grant.Slot, grant.Permits, grant.Permits);
                if (grant.Permits > 0)
                {
                    GiveBackAtTheEndOf(grant.Slot);
                    continue;
                }

                var wait = grant.RetryAt - time.GetUtcNow();
                log.LogDebug("Send limit {Scope} is used up; next permits in {Wait}", limit.Scope, wait);
                if (wait > TimeSpan.Zero) await Task.Delay(wait, time, ct);
            }
        }
        finally
        {
            _reserving.Release();
        }
    }

    private void GiveBackAtTheEndOf(long slot)
    {
        var due = limit.EndOf(slot) - time.GetUtcNow();
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        _slotEnd ??= time.CreateTimer(_ => _ = GiveBackLeftoversAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _slotEnd.Change(due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>At the end of a slot: what is left of it goes back now, unless a reservation under way takes it along.</summary>
    private async Task GiveBackLeftoversAsync()
    {
        if (!_reserving.Wait(0)) return;
        try
        {
            if (TakeUnused() is not { } unused) return;
            (_want, _granted) = (Math.Max(1, _granted - unused.Permits), 0); // as the next reservation would have
            await store.GiveBackAsync(limit, unused, CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not give back unused permits of send limit {Scope}", limit.Scope);
        }
        finally
        {
            _reserving.Release();
        }
    }

    /// <summary>One of the permits held for the current slot, if any is left.</summary>
    private bool TryTake()
    {
        var slot = limit.SlotOf(time.GetUtcNow());
        lock (_sync)
        {
            if (_left == 0 || _slot != slot) return false;
            _left--;
            return true;
        }
    }

    /// <summary>Permits of a slot that is over: no longer usable, to be given back.</summary>
    private SendRateStore.Unused? TakeUnused()
    {
        var slot = limit.SlotOf(time.GetUtcNow());
        lock (_sync)
        {
            if (_left == 0 || _slot == slot) return null;
            var unused = new SendRateStore.Unused(_slot, _left);
            _left = 0;
            return unused;
        }
    }
}
