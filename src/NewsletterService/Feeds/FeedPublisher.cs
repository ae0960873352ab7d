using NewsletterService.Campaigns;

namespace NewsletterService.Feeds;

/// <summary>Sends a feed's new article at once, for feeds registered with <c>autoSend</c>.</summary>
public sealed class FeedPublisher(CampaignScheduler scheduler, ILogger<FeedPublisher> log)
{
    public async Task SendAsync(long articleId, string lists, CancellationToken ct)
    {
        var campaign = await scheduler.CreateAsync(articleId, sendAt: null, ct);
        log.LogInformation("Feed article {ArticleId} sent as campaign {CampaignId} to lists {Lists}", articleId, campaign.Id, lists);
    }
}
