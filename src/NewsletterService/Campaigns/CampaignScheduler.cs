using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Audit;
using NewsletterService.Data;
using NewsletterService.Delivery;
using NewsletterService.Infrastructure;
using NewsletterService.Subscriptions;
using NewsletterService.Tracking;

namespace NewsletterService.Campaigns;

/// <summary>
/// Creates a campaign for some lists (none: every reader, see <see cref="CampaignAudience"/>) and the Hangfire job that
/// starts it, now or at <c>sendAt</c>; a writer's campaign waits for approval instead (<see cref="CampaignApproval"/>).
/// </summary>
public sealed class CampaignScheduler(
    NewsletterDb db, IBackgroundJobClient jobs, TimeProvider time, IOptions<TrackingOptions> tracking, AuditLog audit,
    ApprovalMails mails)
{
    /// <summary>
    /// <paramref name="Lists"/>: slugs of the lists to send to; none = every reader who takes articles as they come.
    /// <paramref name="Tracking"/>: opens and clicks tracked or not; what it leaves out follows <see cref="TrackingOptions"/>.
    /// </summary>
    public sealed record CreateCampaign(long? ArticleId, DateTimeOffset? SendAt, string[]? Lists, TrackingChoice? Tracking = null);

    public sealed record TrackingChoice(bool? Opens, bool? Clicks);

    /// <summary>
    /// A campaign from the API or the dashboard: for an article that exists, to lists that exist. An editor's (one who may
    /// send; the API key too) is sent or scheduled; a writer's (<paramref name="writer"/>) waits for approval.
    /// </summary>
    public async Task<Outcome<Campaign>> CreateAsync(CreateCampaign? request, CancellationToken ct, CampaignActor? writer = null)
    {
        var check = await CheckAsync(request, ct);
        if (check.Refusal is { } refusal) return refusal;
        return await CreateAsync(
            check.Value.ArticleId, check.Value.Lists.Select(l => l.Id).ToList(), request!.SendAt, ct, request.Tracking, writer);
    }

    /// <summary>
    /// Whom the campaign <see cref="CreateAsync(CreateCampaign?, CancellationToken)"/> makes would reach now; creates nothing.
    /// </summary>
    public async Task<Outcome<CampaignAudience>> DryRunAsync(CreateCampaign? request, CancellationToken ct)
    {
        var check = await CheckAsync(request, ct);
        if (check.Refusal is { } refusal) return refusal;
        return await CampaignAudience.CountAsync(db, check.Value.Lists, ct);
    }

    private async Task<Outcome<(long ArticleId, IReadOnlyList<MailingList> Lists)>> CheckAsync(
        CreateCampaign? request, CancellationToken ct)
    {
        if (request?.ArticleId is not { } articleId) return Refusal.Invalid("articleId", "articleId is required.");
        if (await Articles.ArticleStore.RefuseSendingAsync(db, articleId, ct) is { } refusal) return refusal;
        var lists = await SubscriptionChoices.ListsBySlugAsync(db, ct);
        if (!SubscriptionChoices.TryResolveLists(lists, request.Lists, out var listIds, out var error))
            return Refusal.Invalid("lists", error);
        (long, IReadOnlyList<MailingList>) valid = (articleId, lists.Values.Where(l => listIds.Contains(l.Id)).ToList());
        return valid;
    }

    /// <param name="writer">A writer's campaign: stored awaiting approval, reviewers mailed; nothing is scheduled.</param>
    public async Task<Campaign> CreateAsync(long articleId, IReadOnlyCollection<long> listIds, DateTimeOffset? sendAt, CancellationToken ct,
        TrackingChoice? track = null, CampaignActor? writer = null)
    {
        var now = time.GetUtcNow();
        var later = sendAt is { } at && at > now;
        var campaign = new Campaign
        {
            Kind = CampaignKind.Article,
            ArticleId = articleId,
            Status = writer is not null ? CampaignStatus.AwaitingApproval : later ? CampaignStatus.Scheduled : CampaignStatus.Sending,
            CreatedAt = now.UtcDateTime,
            SendAt = sendAt?.UtcDateTime,
            StartedAt = later || writer is not null ? null : now.UtcDateTime,
            TrackOpens = track?.Opens ?? tracking.Value.Opens,
            TrackClicks = track?.Clicks ?? tracking.Value.Clicks,
            SubmittedById = writer?.AccountId,
            SubmittedBy = writer?.Name,
            SubmittedAt = writer is null ? null : now.UtcDateTime,
        };
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync(ct);
        if (listIds.Count > 0)
        {
            db.CampaignLists.AddRange(listIds.Select(listId => new CampaignList { CampaignId = campaign.Id, ListId = listId }));
            await db.SaveChangesAsync(ct); // before the starter can run
        }

        if (writer is not null)
        {
            await audit.RecordAsync("campaign.submitted", $"campaign {campaign.Id}", new { articleId, listIds, sendAt = campaign.SendAt });
            await mails.AskReviewersAsync(campaign, ct);
            return campaign;
        }
        await QueueAsync(campaign, ct);
        return campaign;
    }

    /// <summary>
    /// The Hangfire job that starts a campaign that is <see cref="CampaignStatus.Scheduled"/> (at its send time) or
    /// <see cref="CampaignStatus.Sending"/> (now), remembered on the campaign so that a cancel can delete it; and the audit entry.
    /// </summary>
    public async Task QueueAsync(Campaign campaign, CancellationToken ct)
    {
        var later = campaign.Status == CampaignStatus.Scheduled;
        var id = campaign.Id;
        var jobId = later
            ? jobs.Schedule<CampaignStarter>(s => s.StartAsync(id, CancellationToken.None),
                new DateTimeOffset(DateTime.SpecifyKind(campaign.SendAt!.Value, DateTimeKind.Utc)))
            : jobs.Enqueue<CampaignStarter>(s => s.StartAsync(id, CancellationToken.None));
        campaign.ScheduledJobId = jobId;
        await db.Campaigns.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.ScheduledJobId, jobId), ct);
        var listIds = await db.CampaignLists.Where(l => l.CampaignId == id).Select(l => l.ListId).ToListAsync(ct);
        await audit.RecordAsync(later ? "campaign.schedule" : "campaign.send", $"campaign {id}",
            new { articleId = campaign.ArticleId, listIds, sendAt = campaign.SendAt });
    }
}
