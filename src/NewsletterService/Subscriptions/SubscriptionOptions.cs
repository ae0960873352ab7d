using System.ComponentModel.DataAnnotations;

namespace NewsletterService.Subscriptions;

/// <summary>Section <c>Subscriptions</c>: double opt-in and the limits on the public endpoints.</summary>
public sealed class SubscriptionOptions
{
    public const string Section = "Subscriptions";

    /// <summary>How long the link in a confirmation mail works.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan ConfirmationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>At most one confirmation mail per address in this interval, however often it is asked for.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan ConfirmationInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Subscribe requests (JSON or form) per client IP per minute; more get 429.</summary>
    [Range(1, 10_000)]
    public int SubscribePerMinute { get; set; } = 10;

    /// <summary>Unsubscribe and preference-centre posts per client IP per minute (mail providers send one-click posts in bulk).</summary>
    [Range(1, 100_000)]
    public int LinkPostsPerMinute { get; set; } = 300;

    /// <summary>Largest request body the public endpoints read.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 16 * 1024;
}
