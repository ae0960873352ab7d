using Microsoft.EntityFrameworkCore;
using NewsletterService.Audit;
using NewsletterService.Data;
using NewsletterService.Subscriptions;

namespace NewsletterService.Dashboard;

/// <summary>
/// <c>GET /admin/subscribers/export?status=&amp;list=&amp;cadence=&amp;q=</c>: the subscribers the list shows, as CSV,
/// streamed, in the columns the import reads (lists as slugs separated by <c>;</c>), written as <see cref="CsvDownload"/> says
/// (the import and CSV tools read the byte order mark).
/// </summary>
public static class SubscriberExport
{
    public static async Task WriteAsync(HttpContext http, NewsletterDb db, TimeProvider time, AuditLog audit, CancellationToken ct,
        string? status = null, string? q = null, string? list = null, string? cadence = null, bool bom = true)
    {
        await audit.RecordAsync("subscriber.export", null, new { status, q, list, cadence });
        await using var csv = CsvDownload.Start(http.Response, $"subscribers-{time.GetUtcNow():yyyy-MM-dd}.csv", bom,
            "email", "name", "lists", "status", "cadence", "created_at", "confirmed_at");
        await csv.NextRecordAsync();
        var subscribers = SubscriberSearch.From(status, q, list, cadence).Apply(db.Subscribers.AsNoTracking())
            .Include(s => s.Memberships).ThenInclude(m => m.List).OrderBy(s => s.Id);
        await foreach (var s in subscribers.AsAsyncEnumerable().WithCancellation(ct))
        {
            csv.WriteField(s.Email);
            csv.WriteField(s.Name);
            csv.WriteField(string.Join(';', s.Memberships.Select(m => m.List!.Slug).Order()));
            csv.WriteField(s.Status.ToString().ToLowerInvariant());
            csv.WriteField(s.Cadence.ToString().ToLowerInvariant());
            csv.WriteField(CsvDownload.Time(s.CreatedAt));
            csv.WriteField(CsvDownload.Time(s.ConfirmedAt));
            await csv.NextRecordAsync();
        }
    }
}
