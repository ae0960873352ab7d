namespace NewsletterService.Campaigns;

/// <summary>
/// <see cref="AwaitingApproval"/>: a writer's campaign, waiting for an editor (nothing is scheduled); <see cref="Returned"/>:
/// sent back to the writer with a comment (see <see cref="CampaignApproval"/>).
/// </summary>
public enum CampaignStatus { Scheduled, Sending, Paused, Sent, Cancelled, Failed, AwaitingApproval, Returned }

public enum CampaignKind { Article, Digest }

public sealed class Campaign
{
    public long Id { get; set; }
    public CampaignKind Kind { get; set; }
    public long? ArticleId { get; set; }
    public CampaignStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? SendAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? CompletedAt { get; set; }

    /// <summary>When the delivery ledger was written; until then the campaign has no recipients yet and cannot be complete.</summary>
    public DateTime? LedgerWrittenAt { get; set; }

    /// <summary>Number of recipients written to the delivery ledger when the send started.</summary>
    public int Total { get; set; }
    public string? PausedReason { get; set; }

    /// <summary>For a digest: its cadence, and the moment up to which articles went into it.</summary>
    public Subscriptions.Cadence? DigestCadence { get; set; }
    public DateTime? DigestUpTo { get; set; }

    /// <summary>Hangfire id of the delayed job that starts a scheduled campaign.</summary>
    public string? ScheduledJobId { get; set; }

    /// <summary>Its mails carry an open pixel / route their links through <c>/r/</c> (section <c>Tracking</c> sets the defaults).</summary>
    public bool TrackOpens { get; set; }
    public bool TrackClicks { get; set; }

    /// <summary>The writer who submitted it for approval (account id and address then); null for an editor's own campaign.</summary>
    public string? SubmittedById { get; set; }
    public string? SubmittedBy { get; set; }
    public DateTime? SubmittedAt { get; set; }

    /// <summary>The editor or owner who last approved or returned it, when, and the comment they returned it with.</summary>
    public string? ReviewedBy { get; set; }
    public DateTime? ReviewedAt { get; set; }
    public string? ReviewComment { get; set; }

    /// <summary>The review (its <see cref="ReviewedAt"/>) the writer has been mailed about, so that a job run twice mails once.</summary>
    public DateTime? ReviewNotifiedFor { get; set; }

    public const int MaxComment = 2000;
}
