using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsletterService.Data;
using NewsletterService.Reports;
using NewsletterService.Security;

namespace NewsletterService.Dashboard.Pages.Campaigns;

/// <summary><c>/admin/campaigns/report/{id}</c>: the campaign's report, as <c>GET /api/campaigns/{id}/report</c> gives it.</summary>
[RequirePermission(Permission.Read)]
public sealed class ReportModel(NewsletterDb db) : PageModel
{
    [FromRoute] public long Id { get; set; }
    public CampaignReport Report { get; private set; } = null!;
    public string Title { get; private set; } = "";
    public EditorTime Time { get; private set; } = null!;

    /// <summary>Where the chart's hour 0 starts: the clock hour (UTC) the campaign started in.</summary>
    public DateTime? StartedAt { get; private set; }

    /// <summary>A share of the sent mails, e.g. "12.5%"; "—" before any was sent.</summary>
    public string Rate(int part) =>
        Report.Sent == 0 ? "—" : (100.0 * part / Report.Sent).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "%";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if ((await CampaignRow.LoadAsync(db, db.Campaigns.Where(c => c.Id == Id), ct)).SingleOrDefault() is not { } row ||
            await CampaignReport.LoadAsync(db, Id, ct) is not { } report)
        {
            TempData["Error"] = $"There is no campaign {Id}.";
            return RedirectToPage("Index");
        }
        (Title, Report, Time) = (row.Title, report, EditorTime.For(HttpContext));
        StartedAt = row.StartedAt is { } s ? new DateTime(s.Year, s.Month, s.Day, s.Hour, 0, 0, DateTimeKind.Utc) : null;
        return Page();
    }
}
