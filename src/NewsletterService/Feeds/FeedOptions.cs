using System.ComponentModel.DataAnnotations;
using System.Net;

namespace NewsletterService.Feeds;

/// <summary>Section <c>Feeds</c>: how often registered feeds are polled.</summary>
public sealed class FeedOptions : IValidatableObject
{
    public const string Section = "Feeds";

    /// <summary>Minutes between polls of every feed (a Hangfire recurring job).</summary>
    [Range(1, 1440)]
    public int PollMinutes { get; set; } = 15;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Lets feeds connect to any address: loopback, private, link-local... (intranet feeds). Off: public addresses only.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>CIDR ranges feeds may connect to besides public addresses (<c>10.20.0.0/16</c>, <c>fd12:3456::/48</c>).</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext context) =>
        AllowedNetworks.Where(n => !IPNetwork.TryParse(n.Trim(), out _)).Select(n => new ValidationResult(
            $"Feeds:AllowedNetworks: '{n}' is not a CIDR range such as 10.20.0.0/16 or fd12:3456::/48.", [nameof(AllowedNetworks)]));

    /// <summary>Largest feed document read, in bytes.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public int MaxBytes { get; set; } = 5 * 1024 * 1024;

    public string Cron => PollMinutes switch
    {
        < 60 => $"*/{PollMinutes} * * * *",
        _ => $"0 */{Math.Max(1, PollMinutes / 60)} * * *",
    };
}
