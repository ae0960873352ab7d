using System.Security.Claims;
using NewsletterService.Audit;
using NewsletterService.Security;

namespace NewsletterService.Campaigns;

/// <summary>
/// Who acts on a campaign: the signed-in account (its id and address) or the API key (no account), and whether they may
/// send (<see cref="Permission.Send"/>). Without it, their campaign waits for approval (<see cref="CampaignApproval"/>).
/// </summary>
public sealed record CampaignActor(string? AccountId, string Name, bool CanSend)
{
    public static CampaignActor Of(ClaimsPrincipal user) =>
        new(user.FindFirstValue(ClaimTypes.NameIdentifier), AuditLog.ActorOf(user, outsideRequest: false), user.Can(Permission.Send));

    /// <summary>Whether this is the account that submitted <paramref name="campaign"/>.</summary>
    public bool Submitted(Campaign campaign) => AccountId is not null && campaign.SubmittedById == AccountId;
}
