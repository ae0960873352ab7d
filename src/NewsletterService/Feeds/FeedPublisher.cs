using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Subscriptions;

namespace NewsletterService.Feeds;

/// <summary>Sends a feed's new article at once to its lists, for feeds registered with <c>autoSend</c>.</summary>
public sealed class FeedPublisher(NewsletterDb db, CampaignScheduler scheduler, ILogger<FeedPublisher> log)
{
    public async Task SendAsync(long articleId, string lists, CancellationToken ct)
    {
        var slugs = lists.Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (!SubscriptionChoices.TryResolveLists(await SubscriptionChoices.ListsBySlugAsync(db, ct), slugs, out var listIds, out var error))
        {
            log.LogWarning("Feed article {ArticleId} not sent: {Error}", articleId, error);
            return;
        }
        var campaign = await scheduler.CreateAsync(articleId, listIds, sendAt: null, ct);
        log.LogInformation("Feed article {ArticleId} sent as campaign {CampaignId} to lists {Lists}", articleId, campaign.Id, lists);
    }
}
