using System.ComponentModel.DataAnnotations;

namespace NewsletterService.Tracking;

/// <summary>
/// Section <c>Tracking</c>: whether campaigns track opens and clicks unless the editor says otherwise (digests always follow
/// these), when an open counts as a machine's, and how many tracking hits one client address may make per minute.
/// </summary>
public sealed class TrackingOptions
{
    public const string Section = "Tracking";

    /// <summary>New campaigns carry an open pixel (<c>/o/{token}</c>).</summary>
    public bool Opens { get; set; }

    /// <summary>New campaigns route their links through <c>/r/{token}</c>.</summary>
    public bool Clicks { get; set; }

    /// <summary>An open fetched within this many seconds of the mail's delivery is a machine's (a scanner's), not a reader's.</summary>
    [Range(0, 3600)]
    public int MachineOpenSeconds { get; set; } = 10;

    /// <summary>Hits on <c>/o/</c> and <c>/r/</c> per client address per minute; more get 429.</summary>
    [Range(1, 10_000_000)]
    public int HitsPerMinute { get; set; } = 1200;
}
