namespace NewsletterService.Delivery;

/// <summary>
/// Permits handed out for one limit (<see cref="Scope"/>) in one second, by every process together: the shared state
/// behind <see cref="SharedSendThrottle"/>. Rows older than the longest window are pruned.
/// </summary>
public sealed class SendRateBucket
{
    /// <summary><c>all</c> for the overall limits, <c>server:host:port</c> for one server's rate.</summary>
    public required string Scope { get; set; }

    /// <summary>The second (Unix time) the permits belong to.</summary>
    public long UnixSecond { get; set; }

    public int Permits { get; set; }
}
