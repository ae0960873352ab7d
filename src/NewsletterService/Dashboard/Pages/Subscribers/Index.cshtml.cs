using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Audit;
using NewsletterService.Data;
using NewsletterService.Security;
using NewsletterService.Subscriptions;

namespace NewsletterService.Dashboard.Pages.Subscribers;

/// <summary>
/// Search, filter (status, list, cadence) and page through subscribers; import a CSV; unsubscribe, suppress or delete one.
/// </summary>
[RequirePermission(Permission.Read)]
public sealed class IndexModel(
    NewsletterDb db, SubscriberImport import, TimeProvider clock, AuditLog audit, ILogger<IndexModel> log) : PageModel
{
    private const int PageSize = 50;
    private const int ShownErrors = 50;

    [FromQuery] public string? Q { get; set; }
    [FromQuery(Name = "status")] public string? StatusFilter { get; set; }
    [FromQuery(Name = "list")] public string? ListFilter { get; set; }
    [FromQuery(Name = "cadence")] public string? CadenceFilter { get; set; }
    public SubscriberSearch Search => SubscriberSearch.From(StatusFilter, Q, ListFilter, CadenceFilter);

    /// <summary>An action on one subscriber keeps the list's search, filter and page for the way back.</summary>
    public Dictionary<string, string> RouteFor(long id) =>
        new(Request.Query.Select(q => KeyValuePair.Create(q.Key, q.Value.ToString())))
        {
            ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

    public EditorTime Time { get; private set; } = null!;
    public List<Subscriber> Subscribers { get; private set; } = [];
    public List<MailingList> MailingLists { get; private set; } = [];
    public int Total { get; private set; }
    public Pager Pager { get; private set; } = null!;
    public ImportReport? Report { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync([FromQuery(Name = "p")] int page, CancellationToken ct)
    {
        Time = EditorTime.For(HttpContext);
        Report = TempData.Take<ImportReport>(nameof(Report));
        var query = Search.Apply(db.Subscribers.AsNoTracking());
        Total = await query.CountAsync(ct);
        Pager = new Pager(page, PageSize, Total, Request.Query);
        Subscribers = await query.Include(s => s.Memberships).ThenInclude(m => m.List)
            .OrderByDescending(s => s.Id).Skip(Pager.Skip).Take(PageSize).ToListAsync(ct);
        MailingLists = await db.Lists.AsNoTracking().OrderBy(l => l.Name).ToListAsync(ct);
    }

    [RequirePermission(Permission.ManageSubscribers)]
    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is not { Length: > 0 }) Error = "Choose a CSV file to import.";
        else
        {
            try
            {
                await using var stream = file.OpenReadStream();
                var report = await import.ImportAsync(stream, ct);
                log.LogInformation("Dashboard import of {File}: {Imported} imported, {Skipped} skipped, {Errors} errors",
                    file.FileName, report.Imported, report.Skipped, report.ErrorCount);
                // Post/Redirect/Get: the report (its first lines with errors; TempData is a cookie) is shown after the redirect.
                TempData.Put(nameof(Report), report with { Errors = report.Errors.Take(ShownErrors).ToList() });
                return RedirectToPage();
            }
            catch (SubscriberImport.FormatError e)
            {
                Error = $"The file was not imported: {e.Message}";
            }
        }
        await OnGetAsync(1, ct);
        return Page();
    }

    /// <summary>Unsubscribes a subscribed reader; an unsubscribed or bounced one stays as they are.</summary>
    [RequirePermission(Permission.ManageSubscribers)]
    public async Task<IActionResult> OnPostUnsubscribeAsync(long id, CancellationToken ct)
    {
        var email = await db.Subscribers.Where(s => s.Id == id).Select(s => s.Email).FirstOrDefaultAsync(ct);
        await SubscriberTransitions.UnsubscribeAsync(db.Subscribers.Where(s => s.Id == id), clock.GetUtcNow().UtcDateTime, ct);
        return await DoneAsync(email is null ? 0 : 1, $"{email} was unsubscribed.", "subscriber.unsubscribe", id, new { email });
    }

    /// <summary>Erases the subscriber and keeps the address as a hash on the suppression list: no import adds it back.</summary>
    [RequirePermission(Permission.ManageSubscribers)]
    public async Task<IActionResult> OnPostSuppressAsync(long id, CancellationToken ct)
    {
        var email = await db.Subscribers.Where(s => s.Id == id).Select(s => s.Email).FirstOrDefaultAsync(ct);
        var erased = await SubscriberTransitions.EraseAndSuppressAsync(db, id, clock.GetUtcNow().UtcDateTime, ct);
        // The address is not kept in the audit log either: the entry names the record only.
        return await DoneAsync(erased ? 1 : 0, $"{email} was erased and suppressed: no import or campaign reaches this address any more.",
            "subscriber.suppress", id);
    }

    [RequirePermission(Permission.ManageSubscribers)]
    public async Task<IActionResult> OnPostDeleteAsync(long id, CancellationToken ct)
    {
        var email = await db.Subscribers.Where(s => s.Id == id).Select(s => s.Email).FirstOrDefaultAsync(ct);
        var deleted = await SubscriberTransitions.DeleteAsync(db, id, ct);
        return await DoneAsync(deleted, $"{email} was deleted.", "subscriber.delete", id);
    }

    /// <summary>The way back to the list, with the message; a change is recorded in the audit log.</summary>
    private async Task<RedirectToPageResult> DoneAsync(int changed, string message, string action, long id, object? details = null)
    {
        if (changed == 1)
        {
            TempData["Message"] = message;
            await audit.RecordAsync(action, $"subscriber {id}", details);
        }
        else TempData["Error"] = "That subscriber no longer exists.";
        return RedirectToPage(
            new { q = Q, status = StatusFilter, list = ListFilter, cadence = CadenceFilter, p = Request.Query["p"].FirstOrDefault() });
    }
}
