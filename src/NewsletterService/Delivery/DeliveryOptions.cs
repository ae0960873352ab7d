using System.ComponentModel.DataAnnotations;

namespace NewsletterService.Delivery;

/// <summary>Section <c>Delivery</c>: how campaigns are cut into batches and how failures are retried.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>Recipients per Hangfire batch job.</summary>
    [Range(10, 100_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>Tries per recipient for temporary (4xx, connection) failures before the delivery is marked failed.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First retry delay; each further try waits twice as long, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Temporary failures in a row after which a batch stops and defers its remaining recipients.</summary>
    [Range(1, 10_000)]
    public int MaxConsecutiveFailures { get; set; } = 20;

    public TimeSpan RetryDelayFor(int attempts) =>
        TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, RetryDelay.Ticks * (1L << Math.Min(attempts - 1, 20))));
}
