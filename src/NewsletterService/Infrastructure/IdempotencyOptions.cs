using System.ComponentModel.DataAnnotations;

namespace NewsletterService.Infrastructure;

/// <summary>Section <c>Idempotency</c>: how long an <c>Idempotency-Key</c> or a form's submission id is remembered.</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Idempotency";

    /// <summary>A key is answered with its first result for this long after it was first used; then it is forgotten.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a repeat waits for the first request with its key to finish before it is answered 409 "in progress".</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan WaitForFirst { get; set; } = TimeSpan.FromSeconds(30);
}
