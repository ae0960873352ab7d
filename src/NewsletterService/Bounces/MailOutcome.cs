namespace NewsletterService.Bounces;

/// <summary>What a mail read from a mailbox is. Bounces, complaints and unsubscribes are acted on; auto-replies, success notices
/// and challenges are ignored, and like anything unmatched left for a human.</summary>
public enum MailKind { HardBounce, SoftBounce, Complaint, Unsubscribe, Ignored, Unmatched }

/// <summary>
/// A mail as <see cref="MailParser"/> read it: its kind, the campaign and delivery its VERP address named, the recipient the
/// report is about (final and original), the Message-ID of the returned original, the status code and diagnostic, and for
/// an unsubscribe the token candidates its subject and body carry.
/// </summary>
public sealed record MailOutcome(MailKind Kind)
{
    public long? CampaignId { get; init; }
    public long? DeliveryId { get; init; }
    public string? Recipient { get; init; }

    /// <summary>The address the original was sent to, when the report names it apart from <see cref="Recipient"/> (forwarded).</summary>
    public string? OriginalRecipient { get; init; }

    /// <summary>The Message-ID of the mail the report is about, from its returned message or headers.</summary>
    public string? OriginalMessageId { get; init; }
    public string? Status { get; init; }
    public string? Diagnostic { get; init; }
    public IReadOnlyList<string> Tokens { get; init; } = [];

    public static readonly MailOutcome Unmatched = new(MailKind.Unmatched);
    public static readonly MailOutcome Ignored = new(MailKind.Ignored);
}
