using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Security;

namespace NewsletterService.Digests;

/// <summary><c>/api/digests</c>: the digests' schedule, and a run now (see <see cref="DigestCatalog"/>).</summary>
public static class DigestsApi
{
    public static RouteGroupBuilder MapDigestsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/digests");
        group.MapGet("/", DigestCatalog.ListAsync).RequirePermission(Permission.Read);
        group.MapPost("/{cadence}/run", RunAsync).RequirePermission(Permission.Send);
        return api;
    }

    /// <summary>201 with the campaign, or 200 with <c>campaign: null</c> when nobody has anything new.</summary>
    private static async Task<IResult> RunAsync(string cadence, DigestRunner runner, NewsletterDb db, CancellationToken ct) =>
        await DigestCatalog.RunNowAsync(cadence, runner, db, ct) switch
        {
            { Refusal: { } refusal } => refusal.Problem(),
            { Value: { } campaign } => Results.Created($"/api/campaigns/{campaign.Id}", await CampaignsApi.ViewAsync(db, campaign, ct)),
            _ => Results.Ok(new { campaign = (object?)null, reason = DigestCatalog.NothingNew }),
        };
}
