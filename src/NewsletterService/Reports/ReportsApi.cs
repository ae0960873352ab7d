using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Security;

namespace NewsletterService.Reports;

/// <summary><c>GET /api/campaigns/{id}/report</c>: what a campaign did (see <see cref="CampaignReport"/>); its readers' activity as CSV.</summary>
public static class ReportsApi
{
    public static RouteGroupBuilder MapReportsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/campaigns/{id:long}/report", async (long id, NewsletterDb db, CancellationToken ct) =>
            await CampaignReport.LoadAsync(db, id, ct) is { } report ? Results.Ok(report) : Problems.NotFound($"There is no campaign {id}."))
            .RequirePermission(Permission.Read);
        api.MapGet("/campaigns/{id:long}/activity.csv", ActivityExport.WriteAsync).RequirePermission(Permission.Export);
        return api;
    }
}
