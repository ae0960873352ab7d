using System.ComponentModel.DataAnnotations;

namespace NewsletterService.Bounces;

/// <summary>Section <c>Webhooks</c>: secrets that callers of the inbound webhooks present, and how often they may call.</summary>
public sealed class WebhooksOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// Shared secret for <c>POST /api/webhooks/bounces</c>, sent as <c>X-Webhook-Secret</c>. Unset: the webhook is off (404).
    /// </summary>
    public string? BounceSecret { get; set; }

    /// <summary>
    /// Bounce webhook posts per client address per minute; more get 429 (a provider reports in bulk, a guesser is slowed down).
    /// </summary>
    [Range(1, 100_000)]
    public int BouncePostsPerMinute { get; set; } = 60;
}
