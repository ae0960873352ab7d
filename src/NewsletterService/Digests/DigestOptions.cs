using System.ComponentModel.DataAnnotations;
using NewsletterService.Subscriptions;

namespace NewsletterService.Digests;

/// <summary>Section <c>Digests</c>: when daily and weekly digests go out, in which time zone.</summary>
public sealed class DigestOptions : IValidatableObject
{
    public const string Section = "Digests";

    public DigestSchedule Daily { get; set; } = new() { Cron = "0 7 * * *" };
    public DigestSchedule Weekly { get; set; } = new() { Cron = "0 7 * * 1" };

    /// <summary>IANA time zone the cron expressions are read in, e.g. <c>Europe/Berlin</c>.</summary>
    public string TimeZone { get; set; } = "UTC";

    public string CronFor(Cadence cadence) => cadence == Cadence.Weekly ? Weekly.Cron : Daily.Cron;

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
            yield return new ValidationResult($"Digests:TimeZone '{TimeZone}' is not a known time zone (use an IANA name such as Europe/Berlin).", [nameof(TimeZone)]);
        foreach (var (name, schedule) in new[] { ("Daily", Daily), ("Weekly", Weekly) })
            if (!IsCron(schedule.Cron))
                yield return new ValidationResult($"Digests:{name}:Cron '{schedule.Cron}' is not a cron expression (five fields, e.g. '0 7 * * *').", [name]);
    }

    // Hangfire reads the expression itself at start-up; this catches the obvious mistakes with a clear message first.
    private static bool IsCron(string? cron) =>
        cron is not null && cron.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: 5 or 6 } fields &&
        fields.All(f => f.All(c => char.IsAsciiLetterOrDigit(c) || c is '*' or ',' or '-' or '/' or '?' or 'L' or 'W' or '#'));
}

public sealed class DigestSchedule
{
    [Required]
    public string Cron { get; set; } = "0 7 * * *";
}
