using System.Globalization;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Accounts;
using NewsletterService.Data;
using NewsletterService.Rendering;
using NewsletterService.Security;

namespace NewsletterService.Campaigns;

/// <summary>
/// The mails of the approval flow (<see cref="CampaignApproval"/>), each sent by a Hangfire job that takes ids: on submit,
/// one job per editor and owner account that is not disabled; on approve or return, one to the writer who submitted it.
/// A job mails only while the campaign is still in the state the mail is about (a retry after a later review sends
/// nothing); the writer's is marked as mailed, so that it goes once.
/// </summary>
public sealed class ApprovalMails(NewsletterDb db, IBackgroundJobClient jobs, AccountMailer mailer, ILogger<ApprovalMails> log)
{
    /// <summary>Enqueues the "awaiting approval" mail for every account that may approve.</summary>
    public async Task AskReviewersAsync(Campaign campaign, CancellationToken ct)
    {
        var reviewers = await (from u in db.Users
                               join ur in db.UserRoles on u.Id equals ur.UserId
                               where (ur.RoleId == AccountRoles.Owner || ur.RoleId == AccountRoles.Editor) && u.Id != campaign.SubmittedById
                               select new { u.Id, u.LockoutEnd }).ToListAsync(ct);
        // As stored: PostgreSQL keeps microseconds, not the 100 ns ticks of the value in memory.
        var round = (await db.Campaigns.Where(c => c.Id == campaign.Id).Select(c => c.SubmittedAt).SingleAsync(ct))!.Value.Ticks;
        foreach (var reviewer in reviewers.Where(r => !Account.Disables(r.LockoutEnd)).Select(r => r.Id).Distinct())
            jobs.Enqueue<ApprovalMails>(m => m.AwaitingApprovalAsync(campaign.Id, reviewer, round, CancellationToken.None));
        log.LogInformation("Campaign {CampaignId} awaits approval: {Reviewers} reviewers to mail", campaign.Id, reviewers.Count);
    }

    /// <summary>Enqueues the mail that tells the writer how the review went.</summary>
    public void TellWriter(long campaignId) =>
        jobs.Enqueue<ApprovalMails>(m => m.OutcomeAsync(campaignId, CancellationToken.None));

    /// <param name="round">The submission (<see cref="Campaign.SubmittedAt"/> ticks) the mail is about.</param>
    [Queue("critical"), AutomaticRetry(Attempts = 5)]
    public async Task AwaitingApprovalAsync(long campaignId, string accountId, long round, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, ct);
        if (campaign is not { Status: CampaignStatus.AwaitingApproval, SubmittedAt: { } at } || at.Ticks != round) return;
        var account = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == accountId, ct);
        var canApprove = await db.UserRoles.AnyAsync(r => r.UserId == accountId
            && (r.RoleId == AccountRoles.Owner || r.RoleId == AccountRoles.Editor), ct);
        if (account?.Email is not { } to || account.IsDisabled || !canApprove) return;
        var title = await TitleAsync(campaign, ct);
        await mailer.SendAsync(to, $"Campaign awaiting approval: {title}",
            [$"{campaign.SubmittedBy} asks you to approve the campaign “{title}”.", await WhenAsync(campaign, ct)],
            new MailAction("Review the campaign", Page(campaign)), ct);
    }

    [Queue("critical"), AutomaticRetry(Attempts = 5)]
    public async Task OutcomeAsync(long campaignId, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, ct);
        if (campaign is not { ReviewedAt: { } reviewed } || campaign.ReviewNotifiedFor == reviewed
            || campaign.Status == CampaignStatus.AwaitingApproval) return;
        var to = await db.Users.Where(u => u.Id == campaign.SubmittedById).Select(u => u.Email).FirstOrDefaultAsync(ct)
            ?? campaign.SubmittedBy;
        if (to is null) return;
        var title = await TitleAsync(campaign, ct);
        if (campaign.Status == CampaignStatus.Returned)
            await mailer.SendAsync(to, $"Your campaign was returned: {title}",
                [$"{campaign.ReviewedBy} returned your campaign “{title}” with this comment:"],
                new MailAction("Change it and submit it again", Page(campaign)), ct, quote: campaign.ReviewComment);
        else
            await mailer.SendAsync(to, $"Your campaign was approved: {title}",
                [$"{campaign.ReviewedBy} approved your campaign “{title}”.", await WhenAsync(campaign, ct)],
                new MailAction("Open the campaign", Page(campaign)), ct);
        await db.Campaigns.Where(c => c.Id == campaignId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ReviewNotifiedFor, reviewed), ct);
    }

    private string Page(Campaign campaign) => mailer.Url($"/admin/campaigns/details/{campaign.Id}");

    private async Task<string> TitleAsync(Campaign campaign, CancellationToken ct) =>
        await db.Articles.Where(a => a.Id == campaign.ArticleId).Select(a => a.Title).FirstOrDefaultAsync(ct) ?? $"campaign {campaign.Id}";

    /// <summary>"It goes to the lists Local, Sport at 3 Dec 2026, 07:00 UTC." and the like.</summary>
    private async Task<string> WhenAsync(Campaign campaign, CancellationToken ct)
    {
        var lists = await db.CampaignLists.Where(x => x.CampaignId == campaign.Id)
            .Join(db.Lists, x => x.ListId, l => l.Id, (_, l) => l.Name).OrderBy(n => n).ToListAsync(ct);
        var to = lists.Count == 0 ? "every reader who takes articles as they come" : "the lists " + string.Join(", ", lists);
        var when = campaign.Status switch
        {
            CampaignStatus.Scheduled => $"at {At(campaign.SendAt)} UTC",
            CampaignStatus.AwaitingApproval when campaign.SendAt is { } sendAt => $"at {At(sendAt)} UTC (or at once, if approved later)",
            CampaignStatus.AwaitingApproval => "as soon as it is approved",
            _ => "now",
        };
        return $"It goes to {to} {when}.";
    }

    private static string At(DateTime? utc) => utc?.ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture) ?? "";
}
