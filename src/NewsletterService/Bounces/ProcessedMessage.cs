namespace NewsletterService.Bounces;

/// <summary>
/// A mail read from a mailbox and acted on, kept by its Message-ID so that a mail read again (the process died before it moved
/// or deleted it) changes nothing twice. Written in the same transaction as what the mail changed.
/// </summary>
public sealed class ProcessedMessage
{
    /// <summary>The mailbox's name in configuration (<c>Bounces</c>, <c>Unsubscribes</c>).</summary>
    public string Mailbox { get; set; } = "";

    /// <summary>The Message-ID header, or a hash of the headers for a mail without one.</summary>
    public string MessageId { get; set; } = "";

    public MailKind Kind { get; set; }
    public DateTime ProcessedAt { get; set; }

    /// <summary>Whether the mail was acted on (moved to Processed, deleted) or left for a human.</summary>
    public bool Handled => Kind is MailKind.HardBounce or MailKind.SoftBounce or MailKind.Complaint or MailKind.Unsubscribe;
}
