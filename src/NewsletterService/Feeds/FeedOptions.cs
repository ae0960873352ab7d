using System.ComponentModel.DataAnnotations;

namespace NewsletterService.Feeds;

/// <summary>Section <c>Feeds</c>: how often registered feeds are polled.</summary>
public sealed class FeedOptions
{
    public const string Section = "Feeds";

    /// <summary>Minutes between polls of every feed (a Hangfire recurring job).</summary>
    [Range(1, 1440)]
    public int PollMinutes { get; set; } = 15;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest feed document read, in bytes.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public int MaxBytes { get; set; } = 5 * 1024 * 1024;

    public string Cron => PollMinutes switch
    {
        < 60 => $"*/{PollMinutes} * * * *",
        _ => $"0 */{Math.Max(1, PollMinutes / 60)} * * *",
    };
}
