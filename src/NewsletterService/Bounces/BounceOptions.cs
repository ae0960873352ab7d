using System.ComponentModel.DataAnnotations;

namespace NewsletterService.Bounces;

/// <summary>Section <c>Bounces</c>: when soft bounces (mailbox full, delayed) add up to a hard one.</summary>
public sealed class BounceOptions
{
    public const string Section = "Bounces";

    /// <summary>This many soft bounces of one reader within <see cref="SoftWindow"/> mark them bounced.</summary>
    [Range(1, 1000)]
    public int SoftLimit { get; set; } = 3;

    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan SoftWindow { get; set; } = TimeSpan.FromDays(30);
}
