namespace NewsletterService.Delivery;

/// <summary>
/// Where one delivery stands: waiting, claimed by a batch, or final (sent, failed, skipped: nothing to send; cancelled:
/// its campaign was cancelled before it was sent). Stored as the name.
/// </summary>
public enum DeliveryStatus { Pending, Sending, Sent, Failed, Skipped, Cancelled }

/// <summary>One row of the delivery ledger: one campaign, one subscriber, one message at most.</summary>
public sealed class DeliveryRecord
{
    public long Id { get; set; }
    public long CampaignId { get; set; }
    public long SubscriberId { get; set; }
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }

    /// <summary>Earliest time a deferred (4xx) delivery may be tried again.</summary>
    public DateTime? NextAttemptAt { get; set; }

    /// <summary>Who holds a <see cref="DeliveryStatus.Sending"/> row, and until when.</summary>
    public string? ClaimToken { get; set; }
    public DateTime? ClaimedUntil { get; set; }
    public DateTime? SentAt { get; set; }

    /// <summary>For a digest: this subscriber's window starts after this moment (it ends at the campaign's DigestUpTo).</summary>
    public DateTime? DigestFrom { get; set; }

    /// <summary>The last SMTP reply or error for this delivery.</summary>
    public string? Error { get; set; }
}
