using System.Globalization;
using System.Text.RegularExpressions;
using NewsletterService.Infrastructure;

namespace NewsletterService.Audit;

/// <summary>
/// The entries someone is looking for, from the same query parameters on <c>/admin/audit</c> and <c>GET /api/audit</c>:
/// <c>actor</c> (the whole actor, any case), <c>action</c> (<c>campaign.send</c>, or a family: <c>campaign</c>), <c>from</c>
/// and <c>to</c> (ISO-8601 instants, or days <c>2026-12-01</c> taken whole in the reader's time zone; both ends included).
/// </summary>
public sealed partial record AuditQuery(string? Actor, string? Action, DateTime? From, DateTime? Before)
{
    public static Outcome<AuditQuery> Parse(string? actor, string? action, string? from, string? to, TimeZoneInfo zone)
    {
        var errors = new Dictionary<string, string[]>();
        actor = string.IsNullOrWhiteSpace(actor) ? null : actor.Trim();
        if (actor is { Length: > AuditEntry.MaxActor }) errors["actor"] = [$"actor is at most {AuditEntry.MaxActor} characters."];
        action = string.IsNullOrWhiteSpace(action) ? null : action.Trim().ToLowerInvariant();
        if (action is not null && (action.Length > AuditEntry.MaxAction || !ActionName().IsMatch(action)))
            errors["action"] = ["action is an action's name such as campaign.send, or its first part such as campaign."];
        var start = Instant(from, zone, endOfDay: false, "from", errors);
        var before = Instant(to, zone, endOfDay: true, "to", errors);
        if (start is not null && before is not null && before <= start) errors["to"] = ["to must not be before from."];
        return errors.Count > 0 ? Refusal.Invalid(errors) : new AuditQuery(actor, action, start, before);
    }

    public IQueryable<AuditEntry> Apply(IQueryable<AuditEntry> entries)
    {
        if (Actor is { } actor)
        {
            var lower = actor.ToLowerInvariant();
            entries = entries.Where(e => e.Actor.ToLower() == lower);
        }
        if (Action is { } action)
        {
            var family = action + ".";
            entries = entries.Where(e => e.Action == action || e.Action.StartsWith(family));
        }
        if (From is { } from) entries = entries.Where(e => e.At >= from);
        if (Before is { } before) entries = entries.Where(e => e.At < before);
        return entries;
    }

    /// <summary>The instant a bound stands for; for <c>to</c>, the first instant after it (a whole day: the next midnight).</summary>
    private static DateTime? Instant(string? value, TimeZoneInfo zone, bool endOfDay, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        value = value.Trim();
        try
        {
            if (DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                var midnight = DateTime.SpecifyKind(endOfDay ? day.AddDays(1) : day, DateTimeKind.Unspecified);
                while (zone.IsInvalidTime(midnight)) midnight = midnight.AddMinutes(30); // skipped by a clock change
                return TimeZoneInfo.ConvertTimeToUtc(midnight, zone);
            }
            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
                return endOfDay ? instant.UtcDateTime.AddMicroseconds(1) : instant.UtcDateTime; // PostgreSQL keeps microseconds
        }
        catch (ArgumentException) { } // past the end of the calendar
        errors[field] = [$"{field} must be a date (2026-12-01) or an ISO-8601 time (2026-12-01T09:30:00Z)."];
        return null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*(\\.[a-z0-9-]+)*$")]
    private static partial Regex ActionName();
}
