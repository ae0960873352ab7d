namespace NewsletterService.Bounces;

/// <summary>
/// One mailbox's reading: the lease that lets one process at a time read it, and what the Bounces page shows (last poll,
/// mails processed, last error).
/// </summary>
public sealed class MailboxState
{
    public string Name { get; set; } = "";
    public string? LeaseHolder { get; set; }
    public DateTime? LeasedUntil { get; set; }
    public DateTime? LastPollAt { get; set; }
    public int Processed { get; set; }
    public string? LastError { get; set; }
}
