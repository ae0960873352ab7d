namespace NewsletterService.Subscriptions;

public enum SubscriberStatus { Pending, Confirmed, Unsubscribed, Bounced }

public enum Cadence { Immediate, Daily, Weekly }

public sealed class Subscriber
{
    public long Id { get; set; }

    /// <summary>The address as mail is sent to it: local part as given, domain lower-cased.</summary>
    public required string Email { get; set; }

    /// <summary>The address folded for comparison (lower case, ASCII domain); unique.</summary>
    public required string EmailKey { get; set; }
    public string? Name { get; set; }
    public SubscriberStatus Status { get; set; }
    public Cadence Cadence { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ConfirmedAt { get; set; }
    public DateTime? UnsubscribedAt { get; set; }

    /// <summary>When a confirmation mail was last asked for (at most one per <c>Subscriptions:ConfirmationInterval</c>).</summary>
    public DateTime? ConfirmationRequestedAt { get; set; }

    /// <summary>
    /// The <see cref="ConfirmationRequestedAt"/> whose mail has gone out; a job that finds its request answered sends nothing.
    /// </summary>
    public DateTime? ConfirmationSentFor { get; set; }

    /// <summary>Articles available up to this moment have been handed to this subscriber's digests.</summary>
    public DateTime? DigestCursor { get; set; }

    /// <summary>Scratch of the last digest run that took this subscriber: its campaign and where its window began.</summary>
    public long? DigestCampaignId { get; set; }
    public DateTime? DigestFrom { get; set; }

    /// <summary>The reader turned tracking off in the preference centre: their mails carry no open pixel and plain links.</summary>
    public bool TrackingOff { get; set; }

    public List<ListMembership> Memberships { get; set; } = [];
}
