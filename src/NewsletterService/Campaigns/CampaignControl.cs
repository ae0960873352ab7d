using Hangfire;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Audit;
using NewsletterService.Data;
using NewsletterService.Delivery;
using NewsletterService.Infrastructure;

namespace NewsletterService.Campaigns;

/// <summary>An editor's pause, resume and cancel (and a writer's cancel of their own campaign before approval). Running batches notice within a second (see <see cref="CampaignWatch"/>).</summary>
public sealed class CampaignControl(
    NewsletterDb db, CampaignStarter starter, IBackgroundJobClient jobs, TimeProvider time, AuditLog audit)
{
    public async Task<Outcome<Campaign>> PauseAsync(long id, CancellationToken ct) =>
        await ResultAsync(id, await CampaignProgress.TryPauseAsync(db, id, "paused by an editor", ct),
            "Only a sending campaign can be paused.", ct, "campaign.pause");

    public async Task<Outcome<Campaign>> ResumeAsync(long id, CancellationToken ct)
    {
        var changed = await db.Campaigns.Where(c => c.Id == id && c.Status == CampaignStatus.Paused)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, CampaignStatus.Sending)
                .SetProperty(c => c.PausedReason, (string?)null), ct);
        if (changed == 1)
        {
            // A campaign paused before it started has no ledger yet: start it; otherwise send what is left.
            if (await db.Campaigns.AnyAsync(c => c.Id == id && c.LedgerWrittenAt != null, ct)) await starter.DispatchAsync(db, id, ct);
            else jobs.Enqueue<CampaignStarter>(s => s.StartAsync(id, CancellationToken.None));
        }
        return await ResultAsync(id, changed, "Only a paused campaign can be resumed.", ct, "campaign.resume");
    }

    /// <summary>
    /// Cancels a campaign that has not finished: its waiting deliveries become cancelled at once; those a running batch
    /// holds, when the batch lets go of them (within a second; a message already handed to the server is finished).
    /// One who may not send (<paramref name="actor"/>, a writer) may cancel only a campaign of their own that has not been approved.
    /// </summary>
    public async Task<Outcome<Campaign>> CancelAsync(long id, CancellationToken ct, CampaignActor? actor = null)
    {
        var campaign = await CampaignProgress.ReadAsync(db, id, ct);
        var writer = actor is { CanSend: false };
        if (writer && campaign is not null && !(actor!.Submitted(campaign) && Unapproved.Contains(campaign.Status)))
            return Refusal.Forbidden("A writer can cancel only their own campaign while it awaits approval or has been returned.");
        var now = time.GetUtcNow().UtcDateTime;
        var changed = await db.Campaigns
            .Where(c => c.Id == id && (c.Status == CampaignStatus.AwaitingApproval || c.Status == CampaignStatus.Returned || (!writer &&
                (c.Status == CampaignStatus.Scheduled || c.Status == CampaignStatus.Sending || c.Status == CampaignStatus.Paused))))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CampaignStatus.Cancelled).SetProperty(c => c.CompletedAt, now), ct);
        if (changed == 1)
        {
            if (campaign?.ScheduledJobId is { } jobId) jobs.Delete(jobId);
            await CampaignProgress.TryCompleteAsync(db, id, now, ct);
        }
        return await ResultAsync(id, changed, "This campaign has already finished.", ct, "campaign.cancel");
    }

    /// <summary>A writer's campaign before it is approved.</summary>
    private static readonly CampaignStatus[] Unapproved = [CampaignStatus.AwaitingApproval, CampaignStatus.Returned];

    /// <summary>The campaign after <paramref name="action"/>; when it changed it, the audit log's entry for it.</summary>
    private async Task<Outcome<Campaign>> ResultAsync(long id, int changed, string conflict, CancellationToken ct, string action)
    {
        var campaign = await CampaignProgress.ReadAsync(db, id, ct);
        if (campaign is null) return Refusal.NotFound($"There is no campaign {id}.");
        if (changed != 1) return Refusal.Conflict(conflict);
        await audit.RecordAsync(action, $"campaign {id}");
        return campaign;
    }
}
