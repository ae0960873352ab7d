using System.Globalization;

namespace NewsletterService.Dashboard;

/// <summary>
/// The editor's time zone: the browser reports it (IANA id) in the <c>tz</c> cookie and in the scheduling form; times
/// are stored in UTC and shown in this zone. Without it, UTC.
/// </summary>
public sealed class EditorTime(TimeZoneInfo zone)
{
    public const string Cookie = "tz";

    public TimeZoneInfo Zone { get; } = zone;
    public string ZoneName => Zone.Id;

    public static EditorTime For(HttpContext http) => new(Find(http.Request.Cookies[Cookie]) ?? TimeZoneInfo.Utc);

    public static TimeZoneInfo? Find(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64) return null;
        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
    }

    public DateTime Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    /// <summary>"28 Nov 2026, 14:05".</summary>
    public string Show(DateTime? utc) => utc is { } u ? Local(u).ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture) : "—";

    /// <summary>A wall-clock time in this zone as an instant (the earlier one when the clock goes back).</summary>
    public DateTimeOffset ToInstant(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (Zone.IsInvalidTime(local)) local = local.AddMinutes(30); // skipped by a clock change: the next valid time
        var offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max() : Zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
