using Microsoft.EntityFrameworkCore;
using NewsletterService.Audit;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Subscriptions;

namespace NewsletterService.Campaigns;

/// <summary>
/// A writer's campaign waits for approval (<see cref="CampaignStatus.AwaitingApproval"/>, made by <see cref="CampaignScheduler"/>).
/// An editor or owner approves it, and it is sent or scheduled as set through <see cref="CampaignScheduler.QueueAsync"/>, the path
/// an editor's own campaign takes; or returns it with a comment (<see cref="CampaignStatus.Returned"/>), and the writer may change
/// it and submit it again. Each step is one conditional update on the status, so two editors approving at once start it once.
/// </summary>
public sealed class CampaignApproval(NewsletterDb db, CampaignScheduler scheduler, ApprovalMails mails, TimeProvider time, AuditLog audit)
{
    /// <summary>What a writer may change before submitting again; <c>null</c> keeps the campaign as it is.</summary>
    public sealed record Changes(DateTimeOffset? SendAt, string[]? Lists, CampaignScheduler.TrackingChoice? Tracking = null);

    public sealed record ReturnRequest(string? Comment);

    private const string NotAwaiting = "This campaign is not awaiting approval.";

    public async Task<Outcome<Campaign>> ApproveAsync(long id, CampaignActor reviewer, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } campaign) return Missing(id);
        if (campaign.Status != CampaignStatus.AwaitingApproval) return Refusal.Conflict(NotAwaiting);
        if (campaign.ArticleId is { } articleId && await Articles.ArticleStore.RefuseSendingAsync(db, articleId, ct) is { } refusal)
            return Refusal.Conflict(refusal.Detail);
        var now = time.GetUtcNow().UtcDateTime;
        var later = campaign.SendAt > now; // a send time that has passed meanwhile: now
        var status = later ? CampaignStatus.Scheduled : CampaignStatus.Sending;
        DateTime? startedAt = later ? null : now;
        var changed = await db.Campaigns.Where(c => c.Id == id && c.Status == CampaignStatus.AwaitingApproval)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, status)
                .SetProperty(c => c.StartedAt, startedAt)
                .SetProperty(c => c.ReviewedBy, reviewer.Name)
                .SetProperty(c => c.ReviewedAt, now)
                .SetProperty(c => c.ReviewComment, (string?)null), ct);
        if (changed != 1) return Refusal.Conflict(NotAwaiting);
        campaign = (await FindAsync(id, ct))!;
        await audit.RecordAsync("campaign.approved", $"campaign {id}", new { submittedBy = campaign.SubmittedBy });
        await scheduler.QueueAsync(campaign, ct);
        mails.TellWriter(id);
        return campaign;
    }

    public async Task<Outcome<Campaign>> ReturnAsync(long id, string? comment, CampaignActor reviewer, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } campaign) return Missing(id);
        comment = comment?.Trim();
        if (string.IsNullOrEmpty(comment)) return Refusal.Invalid("comment", "Say what should change: a comment is required.");
        if (comment.Length > Campaign.MaxComment)
            return Refusal.Invalid("comment", $"The comment is longer than {Campaign.MaxComment} characters.");
        if (campaign.Status != CampaignStatus.AwaitingApproval) return Refusal.Conflict(NotAwaiting);
        var now = time.GetUtcNow().UtcDateTime;
        var changed = await db.Campaigns.Where(c => c.Id == id && c.Status == CampaignStatus.AwaitingApproval)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, CampaignStatus.Returned)
                .SetProperty(c => c.ReviewedBy, reviewer.Name)
                .SetProperty(c => c.ReviewedAt, now)
                .SetProperty(c => c.ReviewComment, comment), ct);
        if (changed != 1) return Refusal.Conflict(NotAwaiting);
        await audit.RecordAsync("campaign.returned", $"campaign {id}", new { comment, submittedBy = campaign.SubmittedBy });
        mails.TellWriter(id);
        return (await FindAsync(id, ct))!;
    }

    /// <summary>
    /// A returned campaign, changed or not, awaits approval again. Only the writer who submitted it (or one who may send) may.
    /// </summary>
    public async Task<Outcome<Campaign>> SubmitAgainAsync(long id, Changes? changes, CampaignActor writer, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } campaign) return Missing(id);
        if (!writer.CanSend && !writer.Submitted(campaign))
            return Refusal.Forbidden("Only the writer who submitted this campaign can submit it again.");
        if (campaign.Status != CampaignStatus.Returned) return Refusal.Conflict("Only a returned campaign can be submitted again.");
        if (campaign.ArticleId is { } articleId && await Articles.ArticleStore.RefuseSendingAsync(db, articleId, ct) is { } refusal)
            return refusal;
        long[]? listIds = null;
        if (changes is not null
            && !SubscriptionChoices.TryResolveLists(await SubscriptionChoices.ListsBySlugAsync(db, ct), changes.Lists, out listIds, out var error))
            return Refusal.Invalid("lists", error);

        var now = time.GetUtcNow().UtcDateTime;
        var (sendAt, opens, clicks) = changes is null ? (campaign.SendAt, campaign.TrackOpens, campaign.TrackClicks)
            : (changes.SendAt?.UtcDateTime, changes.Tracking?.Opens ?? campaign.TrackOpens, changes.Tracking?.Clicks ?? campaign.TrackClicks);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var changed = await db.Campaigns.Where(c => c.Id == id && c.Status == CampaignStatus.Returned)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.Status, CampaignStatus.AwaitingApproval)
                    .SetProperty(c => c.SendAt, sendAt)
                    .SetProperty(c => c.TrackOpens, opens)
                    .SetProperty(c => c.TrackClicks, clicks)
                    .SetProperty(c => c.SubmittedAt, now), ct);
            if (changed != 1) return Refusal.Conflict("Only a returned campaign can be submitted again.");
            if (listIds is not null)
            {
                await db.CampaignLists.Where(l => l.CampaignId == id).ExecuteDeleteAsync(ct);
                db.CampaignLists.AddRange(listIds.Select(listId => new CampaignList { CampaignId = id, ListId = listId }));
                await db.SaveChangesAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        campaign = (await FindAsync(id, ct))!;
        await audit.RecordAsync("campaign.submitted", $"campaign {id}", new { again = true, listIds, sendAt });
        await mails.AskReviewersAsync(campaign, ct);
        return campaign;
    }

    private Task<Campaign?> FindAsync(long id, CancellationToken ct) => Delivery.CampaignProgress.ReadAsync(db, id, ct);

    private static Refusal Missing(long id) => Refusal.NotFound($"There is no campaign {id}.");
}
