using System.ComponentModel.DataAnnotations;

namespace NewsletterService.Delivery;

/// <summary>Section <c>Delivery</c>: how campaigns are cut into batches, how failures are retried, how crashes are healed.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>Recipients per Hangfire batch job.</summary>
    [Range(10, 100_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>Batches one process sends at once; each uses all of the process's SMTP connections.</summary>
    [Range(1, 100)]
    public int ConcurrentBatches { get; set; } = 2;

    /// <summary>Tries per recipient for temporary (4xx, connection) failures before the delivery is marked failed.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First retry delay; each further try waits twice as long, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Failures of the SMTP servers in a row (down, log-in refused) after which the campaign pauses itself.</summary>
    [Range(1, 10_000)]
    public int MaxConsecutiveFailures { get; set; } = 20;

    /// <summary>
    /// How long a batch's claim on its rows lasts; the batch renews it while it works. A crashed batch's rows are free after it.
    /// At least three of <see cref="CampaignWatch.Tick"/>: the batch stops a third before the end, renewing a tick before that.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:03", "1.00:00:00")]
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the watchdog looks for rows whose batch died and sends them again.</summary>
    public TimeSpan WatchdogInterval { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryDelayFor(int attempts) =>
        TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, RetryDelay.Ticks * (1L << Math.Min(attempts - 1, 20))));
}
