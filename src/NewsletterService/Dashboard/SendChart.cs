using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;
using NewsletterService.Delivery;

namespace NewsletterService.Dashboard;

/// <summary>Messages sent per day (in the editor's time zone) over the last <see cref="Days"/> days, drawn as SVG bars.</summary>
public sealed class SendChart
{
    public const int Days = 30;
    public const int Width = 720, Height = 180, Left = 40, Right = 20, Bottom = 24;

    public required IReadOnlyList<(DateOnly Day, int Sent)> Points { get; init; }
    public int Total => Points.Sum(p => p.Sent);

    /// <summary>A round top for the y axis: 1, 2 or 5 times a power of ten.</summary>
    public int Max
    {
        get
        {
            var top = Math.Max(1, Points.Max(p => p.Sent));
            for (var scale = 1; ; scale *= 10)
                foreach (var step in new[] { 1, 2, 5 })
                    if (step * scale >= top) return step * scale;
        }
    }

    public double BarWidth => (Width - Left - Right) / (double)Points.Count;
    public double BarHeight(int sent) => (Height - Bottom - 8) * sent / (double)Max;
    public static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    public static async Task<SendChart> LoadAsync(NewsletterDb db, EditorTime time, DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(time.Local(now.UtcDateTime));
        var offset = time.Zone.GetUtcOffset(now).TotalMinutes; // today's offset for the whole month: close enough for a chart
        var since = now.UtcDateTime.AddDays(-Days - 1);
        var perDay = await db.Deliveries
            .Where(d => d.Status == DeliveryStatus.Sent && d.SentAt >= since)
            .GroupBy(d => d.SentAt!.Value.AddMinutes(offset).Date)
            .Select(g => new { Day = g.Key, Sent = g.Count() })
            .ToDictionaryAsync(x => DateOnly.FromDateTime(x.Day), x => x.Sent, ct);
        var points = Enumerable.Range(0, Days)
            .Select(i => today.AddDays(i - Days + 1))
            .Select(d => (d, perDay.GetValueOrDefault(d)))
            .ToList();
        return new SendChart { Points = points };
    }
}
