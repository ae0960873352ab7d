namespace NewsletterService.Tracking;

/// <summary>A link of a campaign's mails that goes through <c>/r/{token}</c>; the token names it by <see cref="Id"/>.</summary>
public sealed class TrackedLink
{
    public const int MaxUrlLength = 2000;

    public long Id { get; set; }
    public long CampaignId { get; set; }
    public required string Url { get; set; }
}
