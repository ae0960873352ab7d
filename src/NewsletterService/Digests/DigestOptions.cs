using System.ComponentModel.DataAnnotations;
using Cronos;
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
            yield return new ValidationResult(
                $"Digests:TimeZone '{TimeZone}' is not a known time zone (use an IANA name such as Europe/Berlin).", [nameof(TimeZone)]);
        foreach (var (name, schedule) in new[] { ("Daily", Daily), ("Weekly", Weekly) })
            if (!IsCron(schedule.Cron))
                yield return new ValidationResult(
                    $"Digests:{name}:Cron '{schedule.Cron}' is not a cron expression (five fields, e.g. '0 7 * * *').", [name]);
    }

    /// <summary>Read as Hangfire reads it, with Cronos: five fields, or six with seconds first.</summary>
    private static bool IsCron(string? cron) => cron?.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length switch
    {
        5 => CronExpression.TryParse(cron, CronFormat.Standard, out _),
        6 => CronExpression.TryParse(cron, CronFormat.IncludeSeconds, out _),
        _ => false,
    };
}

public sealed class DigestSchedule
{
    [Required]
    public string Cron { get; set; } = "0 7 * * *";
}
