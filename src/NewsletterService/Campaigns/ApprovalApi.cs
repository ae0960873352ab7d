using System.Security.Claims;
using NewsletterService.Data;
using NewsletterService.Security;

namespace NewsletterService.Campaigns;

/// <summary>
/// <c>/api/campaigns/{id}/approve</c> and <c>/return</c> (<c>{ comment }</c>) for editors and owners; <c>/submit</c> for the
/// writer of a returned campaign, with the changes (<c>{ sendAt, lists, tracking }</c>, as when creating) or without a body.
/// </summary>
public static class ApprovalApi
{
    public static RouteGroupBuilder MapApprovalApi(this RouteGroupBuilder campaigns)
    {
        campaigns.MapPost("/{id:long}/approve", async (long id, CampaignApproval approval, NewsletterDb db, ClaimsPrincipal user,
                CancellationToken ct) =>
            await CampaignsApi.AnswerAsync(db, await approval.ApproveAsync(id, CampaignActor.Of(user), ct), Results.Ok, ct))
            .RequirePermission(Permission.Send);
        campaigns.MapPost("/{id:long}/return", async (long id, CampaignApproval.ReturnRequest? request, CampaignApproval approval,
                NewsletterDb db, ClaimsPrincipal user, CancellationToken ct) =>
            await CampaignsApi.AnswerAsync(db, await approval.ReturnAsync(id, request?.Comment, CampaignActor.Of(user), ct), Results.Ok, ct))
            .RequirePermission(Permission.Send);
        campaigns.MapPost("/{id:long}/submit", async (long id, CampaignApproval.Changes? changes, CampaignApproval approval,
                NewsletterDb db, ClaimsPrincipal user, CancellationToken ct) =>
            await CampaignsApi.AnswerAsync(db, await approval.SubmitAgainAsync(id, changes, CampaignActor.Of(user), ct), Results.Ok, ct))
            .RequirePermission(Permission.Prepare);
        return campaigns;
    }
}
