using System.Threading.RateLimiting;

namespace NewsletterService.Delivery;

/// <summary>Rate limits for sending (System.Threading.RateLimiting): callers queue in order until a permit is free.</summary>
public static class Throttle
{
    /// <summary><paramref name="messagesPerSecond"/>, refilled every 100 ms when it divides by ten (else every second); null when 0.</summary>
    public static RateLimiter? PerSecond(int messagesPerSecond)
    {
        if (messagesPerSecond <= 0) return null;
        var tenths = messagesPerSecond % 10 == 0;
        var period = tenths ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1);
        var tokens = tenths ? messagesPerSecond / 10 : messagesPerSecond;
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokens, TokensPerPeriod = tokens, ReplenishmentPeriod = period,
            QueueLimit = int.MaxValue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>At most <paramref name="messages"/> in any <paramref name="window"/>; null when 0.</summary>
    public static RateLimiter? Window(int messages, TimeSpan window) => messages <= 0 ? null
        : new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = messages, Window = window, SegmentsPerWindow = 10,
            QueueLimit = int.MaxValue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });

    public static async ValueTask WaitAsync(RateLimiter? limiter, CancellationToken ct)
    {
        if (limiter is null) return;
        using var lease = await limiter.AcquireAsync(1, ct);
        if (!lease.IsAcquired) throw new InvalidOperationException("The rate limiter refused a permit.");
    }
}
