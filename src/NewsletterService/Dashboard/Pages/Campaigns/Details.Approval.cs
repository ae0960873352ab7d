using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Campaigns;
using NewsletterService.Security;
using NewsletterService.Subscriptions;

namespace NewsletterService.Dashboard.Pages.Campaigns;

/// <summary>
/// The approval of a writer's campaign on its page: Approve and Return (with a comment) for accounts that may send; for the
/// writer of a returned campaign, the form to change its send time and lists and submit it again.
/// </summary>
public sealed partial class DetailsModel
{
    /// <summary>The stored campaign: who submitted it, who reviewed it and their comment, its send time.</summary>
    public Campaign Stored { get; private set; } = null!;
    public List<MailingList> MailingLists { get; private set; } = [];
    public string[] SelectedLists { get; private set; } = [];

    /// <summary>A comment or submission that was refused, shown again in its form.</summary>
    public string? Comment { get; private set; }

    public bool CanSend => User.Can(Permission.Send);

    /// <summary>The writer who submitted it (or an editor) may change and submit a returned campaign, and cancel it.</summary>
    public bool MaySubmit => CanSend || CampaignActor.Of(User).Submitted(Stored);

    private async Task LoadReviewAsync(CancellationToken ct)
    {
        Stored = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == Id, ct);
        MailingLists = await db.Lists.AsNoTracking().OrderBy(l => l.Name).ToListAsync(ct);
        SelectedLists = await db.CampaignLists.Where(x => x.CampaignId == Id)
            .Join(db.Lists, x => x.ListId, l => l.Id, (_, l) => l.Slug).ToArrayAsync(ct);
    }

    [RequirePermission(Permission.Send)]
    public Task<IActionResult> OnPostApproveAsync(CancellationToken ct) =>
        ActAsync(approval.ApproveAsync(Id, CampaignActor.Of(User), ct), "Approved: the campaign is sent as set.", ct);

    [RequirePermission(Permission.Send)]
    public async Task<IActionResult> OnPostReturnAsync(string? comment, CancellationToken ct)
    {
        var result = await ActAsync(approval.ReturnAsync(Id, comment, CampaignActor.Of(User), ct), "Returned to the writer.", ct);
        Comment = comment;
        return result;
    }

    /// <param name="when"><c>now</c> (once approved) or <c>later</c>, at <paramref name="sendAt"/> in <paramref name="timeZone"/>.</param>
    [RequirePermission(Permission.Prepare)]
    public async Task<IActionResult> OnPostSubmitAsync(
        string? when, string? sendAt, string? timeZone, string[]? lists, CancellationToken ct)
    {
        DateTimeOffset? at = null;
        string? error = null;
        if (when == "later")
        {
            var zone = EditorTime.Find(timeZone) is { } z ? new EditorTime(z) : EditorTime.For(HttpContext);
            if (IndexModel.ParseLocal(sendAt) is not { } local) error = "Choose the date and time to send at.";
            else if ((at = zone.ToInstant(local)) <= clock.GetUtcNow())
                error = $"{zone.Show(at.Value.UtcDateTime)} ({zone.ZoneName}) has passed: choose a time in the future, or send once approved.";
        }
        if (error is null)
            return await ActAsync(approval.SubmitAgainAsync(Id, new CampaignApproval.Changes(at, lists ?? []), CampaignActor.Of(User), ct),
                "Submitted for approval again.", ct);
        var page = await OnGetAsync(1, ct);
        Error = error;
        return page;
    }
}
