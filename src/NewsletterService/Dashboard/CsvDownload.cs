using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace NewsletterService.Dashboard;

/// <summary>
/// A CSV download written straight into the response: UTF-8 with a byte order mark, so that Excel opens it with accents
/// intact (<c>bom=false</c> leaves it out), and cells that a spreadsheet would run as a formula (<c>=</c>, <c>+</c>,
/// <c>-</c>, <c>@</c>) escaped so that they stay text.
/// </summary>
public static class CsvDownload
{
    public static CsvWriter Start(HttpResponse response, string fileName, bool bom, params string[] headers)
    {
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        var writer = new StreamWriter(response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: bom));
        var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            InjectionOptions = InjectionOptions.Escape, // a name like "=HYPERLINK(...)" stays text in a spreadsheet
        });
        foreach (var header in headers) csv.WriteField(header);
        return csv;
    }

    public static string? Time(DateTime? at) => at?.ToString("O", CultureInfo.InvariantCulture);
}
