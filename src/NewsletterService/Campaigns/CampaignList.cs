namespace NewsletterService.Campaigns;

/// <summary>A list a campaign targets; a campaign without any goes to every reader who takes articles as they come.</summary>
public sealed class CampaignList
{
    public long CampaignId { get; set; }
    public long ListId { get; set; }
}
