namespace NewsletterService.Delivery;

/// <summary>
/// What one limit allows all processes together: at most <see cref="PerSecond"/> messages in any ten consecutive tenths
/// of a second and at most a tenth of them in one tenth (0 = no rate), and at most <see cref="WindowMessages"/> in any
/// <see cref="Window"/> (0 = no window).
/// </summary>
public sealed record SendLimit(string Scope, int PerSecond, int WindowMessages, TimeSpan Window)
{
    public bool IsUnlimited => PerSecond <= 0 && WindowMessages <= 0;

    /// <summary>Permits one tenth of a second gives out at most: a tenth of the rate, rounded up.</summary>
    public int PerTenth => (PerSecond + 9) / 10;

    /// <summary>
    /// Seconds before the current one that the window looks back over. Counting in whole seconds, a window of D
    /// seconds is kept by the last D+1 buckets together: any D seconds of real time touch at most that many.
    /// </summary>
    public long WindowSeconds => WindowMessages > 0 ? (long)Math.Ceiling(Window.TotalSeconds) : 0;

    /// <summary>Permits one reservation asks for at most: a tenth of the rate (or of the window), at least 1, at most 100.</summary>
    public int Chunk => Math.Clamp((PerSecond > 0 ? PerSecond : WindowMessages) / 10, 1, 100);

    /// <summary>
    /// The slot a permit granted at <paramref name="time"/> is good for: its tenth of a second when there is a rate, else
    /// its second (Unix time in those units).
    /// </summary>
    public long SlotOf(DateTimeOffset time) => PerSecond > 0 ? time.ToUnixTimeMilliseconds() / 100 : time.ToUnixTimeSeconds();

    /// <summary>When <paramref name="slot"/> (see <see cref="SlotOf"/>) is over.</summary>
    public DateTimeOffset EndOf(long slot) =>
        PerSecond > 0 ? DateTimeOffset.FromUnixTimeMilliseconds((slot + 1) * 100) : DateTimeOffset.FromUnixTimeSeconds(slot + 1);

    public string RateRows => Scope + "/rate";
    public string WindowRows => Scope + "/window";
}
