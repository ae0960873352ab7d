using System.ComponentModel.DataAnnotations;

namespace NewsletterService.Infrastructure;

/// <summary>Section <c>Jobs</c>: the Hangfire server and its storage.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// <c>Database</c>: the storage that goes with <c>Storage:Provider</c>; <c>InMemory</c>: nothing survives a restart (tests).
    /// </summary>
    public string Storage { get; set; } = "Database";

    [Range(1, 100)]
    public int WorkerCount { get; set; } = 8;

    /// <summary>How often idle workers look for new jobs: a campaign waits for it to start, and each batch for the next.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
