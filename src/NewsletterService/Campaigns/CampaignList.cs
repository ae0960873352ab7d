namespace NewsletterService.Campaigns;

/// <summary>A list a campaign targets; a campaign without any goes to every confirmed subscriber.</summary>
public sealed class CampaignList
{
    public long CampaignId { get; set; }
    public long ListId { get; set; }
}
