using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Audit;
using NewsletterService.Data;
using NewsletterService.Subscriptions;

namespace NewsletterService.Dashboard;

/// <summary>
/// <c>GET /admin/subscribers/export?status=&amp;list=&amp;cadence=&amp;q=</c>: the subscribers the list shows, as CSV,
/// streamed, in the columns the import reads (lists as slugs separated by <c>;</c>). UTF-8 with a byte order mark, so that
/// Excel opens it with accents intact (the import and CSV tools read the mark); <c>bom=false</c> leaves the mark out.
/// </summary>
public static class SubscriberExport
{
    public static async Task WriteAsync(HttpContext http, NewsletterDb db, TimeProvider time, AuditLog audit, CancellationToken ct,
        string? status = null, string? q = null, string? list = null, string? cadence = null, bool bom = true)
    {
        await audit.RecordAsync("subscriber.export", null, new { status, q, list, cadence });
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"subscribers-{time.GetUtcNow():yyyy-MM-dd}.csv\"";
        await using var writer = new StreamWriter(http.Response.Body, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: bom));
        await using var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            InjectionOptions = InjectionOptions.Escape, // a name like "=HYPERLINK(...)" stays text in a spreadsheet
        });
        foreach (var header in new[] { "email", "name", "lists", "status", "cadence", "created_at", "confirmed_at" })
            csv.WriteField(header);
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
            csv.WriteField(s.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
            csv.WriteField(s.ConfirmedAt?.ToString("O", CultureInfo.InvariantCulture));
            await csv.NextRecordAsync();
        }
    }
}
