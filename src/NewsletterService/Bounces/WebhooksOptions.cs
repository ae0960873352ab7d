namespace NewsletterService.Bounces;

/// <summary>Section <c>Webhooks</c>: secrets that callers of the inbound webhooks present.</summary>
public sealed class WebhooksOptions
{
    public const string Section = "Webhooks";

    /// <summary>Shared secret for <c>POST /api/webhooks/bounces</c>, sent as <c>X-Webhook-Secret</c>. Unset: the webhook is off (404).</summary>
    public string? BounceSecret { get; set; }
}
