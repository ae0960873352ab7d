using System.ComponentModel.DataAnnotations;
using System.Net;

namespace NewsletterService.Feeds;

/// <summary>Section <c>Feeds</c>: how often registered feeds are polled.</summary>
public sealed class FeedOptions : IValidatableObject
{
    public const string Section = "Feeds";

    /// <summary>Minutes between polls of every feed (a Hangfire recurring job): a divisor of 60, or whole hours dividing 24.</summary>
    public int PollMinutes { get; set; } = 15;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Lets feeds connect to any address: loopback, private, link-local... (intranet feeds). Off: public addresses only.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>CIDR ranges feeds may connect to besides public addresses (<c>10.20.0.0/16</c>, <c>fd12:3456::/48</c>).</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (Cron is null)
            yield return new ValidationResult(
                $"Feeds:PollMinutes {PollMinutes} cannot be repeated evenly by a cron schedule: use a divisor of 60 " +
                "(1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30) or whole hours dividing 24 (60, 120, 180, 240, 360, 480, 720, 1440).",
                [nameof(PollMinutes)]);
        foreach (var network in AllowedNetworks.Where(n => !IPNetwork.TryParse(n.Trim(), out _)))
            yield return new ValidationResult(
                $"Feeds:AllowedNetworks: '{network}' is not a CIDR range such as 10.20.0.0/16 or fd12:3456::/48.",
                [nameof(AllowedNetworks)]);
    }

    /// <summary>Largest feed document read, in bytes.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public int MaxBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>
    /// The poll schedule (UTC), every <see cref="PollMinutes"/> minutes from midnight; null when no cron fires at that even interval.
    /// </summary>
    public string? Cron => PollMinutes switch
    {
        > 0 and < 60 when 60 % PollMinutes == 0 => $"*/{PollMinutes} * * * *",
        1440 => "0 0 * * *", // an hour step must be below 24
        >= 60 and < 1440 when PollMinutes % 60 == 0 && 24 % (PollMinutes / 60) == 0 => $"0 */{PollMinutes / 60} * * *",
        _ => null,
    };
}
