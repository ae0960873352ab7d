using NewsletterService.Data;

namespace NewsletterService.Tracking;

/// <summary>Readers' activity written straight away (unsubscribes are rare); opens and clicks go through the tracking buffer.</summary>
public static class ActivityLog
{
    public static async Task AddUnsubscribeAsync(NewsletterDb db, long campaignId, long subscriberId, DateTime at, CancellationToken ct)
    {
        db.Activities.Add(new ReaderActivity { CampaignId = campaignId, SubscriberId = subscriberId, Kind = ActivityKind.Unsubscribe, At = at });
        await db.SaveChangesAsync(ct);
    }
}
