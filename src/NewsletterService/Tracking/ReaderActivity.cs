namespace NewsletterService.Tracking;

/// <summary>What a reader did with a campaign's mail. Stored as the name.</summary>
public enum ActivityKind { Open, Click, Unsubscribe }

/// <summary>
/// One thing a reader did with a campaign's mail: fetched its open pixel, followed a tracked link, or unsubscribed through
/// it. <see cref="Machine"/>: an open fetched by a machine (see README, "Campaign reports and tracking"), not counted as a reader's open.
/// Erasing a reader deletes their opens and clicks; their unsubscribe stays counted, without them.
/// </summary>
public sealed class ReaderActivity
{
    public long Id { get; set; }
    public long CampaignId { get; set; }
    public long? SubscriberId { get; set; }
    public ActivityKind Kind { get; set; }

    /// <summary>A click's <see cref="TrackedLink"/>.</summary>
    public long? LinkId { get; set; }
    public bool Machine { get; set; }
    public DateTime At { get; set; }
}
