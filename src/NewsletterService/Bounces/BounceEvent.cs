namespace NewsletterService.Bounces;

/// <summary>Hard: the address does not take mail (5.x.x); soft: delayed or full (4.x.x); complaint: the reader marked it as spam.</summary>
public enum BounceKind { Hard, Soft, Complaint }

/// <summary>Who told us: the SMTP reply while sending, the provider's webhook, or a mail read from the bounce mailbox.</summary>
public enum BounceSource { Smtp, Webhook, Mailbox }

/// <summary>
/// One bounce or complaint as it was reported, kept for the Bounces page and the campaign reports. The campaign and delivery
/// are known when the report names them (VERP address, the message's id); a webhook report that gives only the address leaves
/// them empty.
/// </summary>
public sealed class BounceEvent
{
    public long Id { get; set; }
    public long? CampaignId { get; set; }
    public long? DeliveryId { get; set; }
    public long? SubscriberId { get; set; }

    /// <summary>The bounced address as the report gave it (normalised key).</summary>
    public string Email { get; set; } = "";

    public BounceKind Kind { get; set; }
    public BounceSource Source { get; set; }

    /// <summary>The enhanced status code (<c>5.1.1</c>) or SMTP reply code, when the report has one.</summary>
    public string? Status { get; set; }

    /// <summary>The server's diagnostic text or the report's reason, cut to 1000 characters.</summary>
    public string? Diagnostic { get; set; }

    public DateTime At { get; set; }
}
