namespace NewsletterService.Delivery;

/// <summary>
/// Permits handed out for one limit in one slot of time, by every process together: the shared state behind
/// <see cref="SharedSendThrottle"/>. A rate counts in tenths of a second (scope <c>&lt;limit&gt;/rate</c>), a window in
/// seconds (scope <c>&lt;limit&gt;/window</c>); rows no limit looks at any more are pruned.
/// </summary>
public sealed class SendRateBucket
{
    /// <summary>The limit (<c>all</c>, or <c>server:host:port</c>) and what is counted: <c>all/rate</c>, <c>all/window</c>, ...</summary>
    public required string Scope { get; set; }

    /// <summary>The tenth of a second (rate) or the second (window), as Unix time in those units.</summary>
    public long Slot { get; set; }

    public int Permits { get; set; }
}
