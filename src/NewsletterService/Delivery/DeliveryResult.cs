namespace NewsletterService.Delivery;

/// <summary>
/// What happened when one reader's mail was tried: sent; skipped (nobody to send to, nothing for them); failed for good
/// (a 5xx reply, a hard bounce when <see cref="Bounce"/>, or too many attempts); or deferred until <see cref="RetryAt"/>.
/// <see cref="ServerFault"/>: the server, not this reader, was the trouble (counts towards pausing the campaign).
/// </summary>
public sealed record DeliveryResult(DeliveryStatus Status, string? Reason = null, DateTime? RetryAt = null, bool Bounce = false,
    bool ServerFault = false)
{
    public static readonly DeliveryResult Sent = new(DeliveryStatus.Sent);

    public static DeliveryResult Skipped(string reason) => new(DeliveryStatus.Skipped, reason);

    public static DeliveryResult Failed(string reason, bool bounce, bool serverFault) =>
        new(DeliveryStatus.Failed, reason, Bounce: bounce, ServerFault: serverFault);

    /// <summary>Back to pending, to be tried again from <paramref name="retryAt"/>.</summary>
    public static DeliveryResult Deferred(string reason, DateTime retryAt, bool serverFault) =>
        new(DeliveryStatus.Pending, reason, retryAt, ServerFault: serverFault);
}
