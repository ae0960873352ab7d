using Hangfire;
using NewsletterService.Data;

namespace NewsletterService.Campaigns;

/// <summary>Creates a campaign and the Hangfire job that starts it, now or at <c>sendAt</c>.</summary>
public sealed class CampaignScheduler(NewsletterDb db, IBackgroundJobClient jobs, TimeProvider time)
{
    public async Task<Campaign> CreateAsync(long articleId, DateTimeOffset? sendAt, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var later = sendAt is { } at && at > now;
        var campaign = new Campaign
        {
            Kind = CampaignKind.Article,
            ArticleId = articleId,
            Status = later ? CampaignStatus.Scheduled : CampaignStatus.Sending,
            CreatedAt = now.UtcDateTime,
            SendAt = sendAt?.UtcDateTime,
            StartedAt = later ? null : now.UtcDateTime,
        };
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync(ct);

        campaign.ScheduledJobId = later
            ? jobs.Schedule<CampaignStarter>(s => s.StartAsync(campaign.Id, CancellationToken.None), sendAt!.Value)
            : jobs.Enqueue<CampaignStarter>(s => s.StartAsync(campaign.Id, CancellationToken.None));
        await db.SaveChangesAsync(ct);
        return campaign;
    }
}
