using NewsletterService.Reports;

namespace NewsletterService.Dashboard;

/// <summary>
/// A campaign's readers' opens and clicks per hour over its first <see cref="CampaignReport.TimelineHours"/> hours, drawn as
/// SVG bars beside each other, with the same axes as <see cref="SendChart"/>. Machine opens are left out (the report counts them apart).
/// </summary>
public sealed class ActivityChart(IReadOnlyList<HourActivity> hours)
{
    public const int Width = SendChart.Width, Height = SendChart.Height, Left = SendChart.Left, Right = SendChart.Right,
        Bottom = SendChart.Bottom;

    public IReadOnlyList<HourActivity> Hours => hours;
    public int Opens => hours.Sum(h => h.Opens);
    public int Clicks => hours.Sum(h => h.Clicks);
    public IEnumerable<HourActivity> Active => hours.Where(h => h.Opens + h.Clicks > 0);

    /// <summary>A round top for the y axis: 1, 2 or 5 times a power of ten.</summary>
    public int Max
    {
        get
        {
            var top = Math.Max(1, hours.Count == 0 ? 0 : hours.Max(h => Math.Max(h.Opens, h.Clicks)));
            for (var scale = 1; ; scale *= 10)
                foreach (var step in new[] { 1, 2, 5 })
                    if (step * scale >= top) return step * scale;
        }
    }

    public double HourWidth => (Width - Left - Right) / (double)Math.Max(1, hours.Count);
    public double BarHeight(int count) => (Height - Bottom - 8) * count / (double)Max;
}
