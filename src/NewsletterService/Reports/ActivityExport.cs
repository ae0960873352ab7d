using Microsoft.EntityFrameworkCore;
using NewsletterService.Audit;
using NewsletterService.Dashboard;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Tracking;

namespace NewsletterService.Reports;

/// <summary>
/// <c>GET /admin/campaigns/{id}/activity.csv</c> and <c>GET /api/campaigns/{id}/activity.csv</c>: one row per reader who
/// opened or clicked the campaign's mail, ordered by subscriber, counted by the database and streamed (see
/// <see cref="CsvDownload"/> for the encoding). <c>opens</c> and <c>first_open</c> are the reader's own opens, machine
/// opens are counted apart; <c>links_clicked</c> is how many different links they followed. Erased readers have no
/// activity left, so no row. Readers' addresses are personal data: the export needs Export and is audited.
/// </summary>
public static class ActivityExport
{
    public static async Task<IResult> WriteAsync(long id, HttpContext http, NewsletterDb db, AuditLog audit, CancellationToken ct,
        bool bom = true)
    {
        if (!await db.Campaigns.AnyAsync(c => c.Id == id, ct)) return Problems.NotFound($"There is no campaign {id}.");
        await audit.RecordAsync("campaign.activity-export", $"campaign {id}");
        await using var csv = CsvDownload.Start(http.Response, $"campaign-{id}-activity.csv", bom,
            "email", "name", "first_open", "opens", "machine_opens", "first_click", "clicks", "links_clicked");
        await csv.NextRecordAsync();
        await foreach (var r in Rows(db, id).AsAsyncEnumerable().WithCancellation(ct))
        {
            csv.WriteField(r.Email);
            csv.WriteField(r.Name);
            csv.WriteField(CsvDownload.Time(r.FirstOpen));
            csv.WriteField(r.Opens);
            csv.WriteField(r.MachineOpens);
            csv.WriteField(CsvDownload.Time(r.FirstClick));
            csv.WriteField(r.Clicks);
            csv.WriteField(r.Links);
            await csv.NextRecordAsync();
        }
        return Results.Empty;
    }

    private sealed record Row(string Email, string? Name, DateTime? FirstOpen, int Opens, int MachineOpens, DateTime? FirstClick,
        int Clicks, int Links);

    private static IQueryable<Row> Rows(NewsletterDb db, long id)
    {
        var perReader = db.Activities.AsNoTracking()
            .Where(a => a.CampaignId == id && a.SubscriberId != null && a.Kind != ActivityKind.Unsubscribe)
            .GroupBy(a => a.SubscriberId)
            .Select(g => new
            {
                SubscriberId = g.Key,
                FirstOpen = g.Where(a => a.Kind == ActivityKind.Open && !a.Machine).Min(a => (DateTime?)a.At),
                Opens = g.Count(a => a.Kind == ActivityKind.Open && !a.Machine),
                MachineOpens = g.Count(a => a.Kind == ActivityKind.Open && a.Machine),
                FirstClick = g.Where(a => a.Kind == ActivityKind.Click).Min(a => (DateTime?)a.At),
                Clicks = g.Count(a => a.Kind == ActivityKind.Click),
                Links = g.Where(a => a.Kind == ActivityKind.Click).Select(a => a.LinkId).Distinct().Count(),
            });
        return from r in perReader
               join s in db.Subscribers on r.SubscriberId equals s.Id
               orderby s.Id
               select new Row(s.Email, s.Name, r.FirstOpen, r.Opens, r.MachineOpens, r.FirstClick, r.Clicks, r.Links);
    }
}
