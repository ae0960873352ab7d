using NewsletterService.Campaigns;
using NewsletterService.Data;

namespace NewsletterService.Digests;

/// <summary><c>/api/digests</c>: the digests' schedule, and a run now (see <see cref="DigestCatalog"/>).</summary>
public static class DigestsApi
{
    /// <summary>The answer to a run that made no campaign (<paramref name="Campaign"/> is always null).</summary>
    public sealed record NothingNew(object? Campaign, string Reason);

    public static RouteGroupBuilder MapDigestsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/digests");
        group.MapGet("/", DigestCatalog.ListAsync);
        group.MapPost("/{cadence}/run", RunAsync);
        return api;
    }

    /// <summary>201 with the campaign, or 200 with <c>campaign: null</c> when nobody has anything new.</summary>
    private static async Task<IResult> RunAsync(string cadence, DigestRunner runner, NewsletterDb db, CancellationToken ct)
    {
        var outcome = await DigestCatalog.RunNowAsync(cadence, runner, db, ct);
        if (outcome.Refusal is { } refusal) return refusal.Problem();
        return outcome.Value is { } campaign
            ? Results.Created($"/api/campaigns/{campaign.Id}", await CampaignsApi.ViewAsync(db, campaign, ct))
            : Results.Ok(new NothingNew(null, DigestCatalog.NothingNew));
    }
}
