namespace NewsletterService.Delivery;

/// <summary>
/// What one scope allows all processes together: at most <see cref="PerSecond"/> messages in each second (0 = no rate),
/// spread over its tenths, and at most <see cref="WindowMessages"/> in any <see cref="Window"/> (0 = no window).
/// </summary>
public sealed record SendLimit(string Scope, int PerSecond, int WindowMessages, TimeSpan Window)
{
    public bool IsUnlimited => PerSecond <= 0 && WindowMessages <= 0;

    /// <summary>
    /// Seconds before the current one that the window looks back over. Counting in whole seconds, a window of D
    /// seconds is kept by the last D+1 buckets together: any D seconds of real time touch at most that many.
    /// </summary>
    public long WindowSeconds => WindowMessages > 0 ? (long)Math.Ceiling(Window.TotalSeconds) : 0;

    /// <summary>Permits one reservation asks for: a tenth of the rate (or of the window), at least 1, at most 100.</summary>
    public int Chunk => Math.Clamp((PerSecond > 0 ? PerSecond : WindowMessages) / 10, 1, 100);

    /// <summary>How many of the second's permits may be out by the end of its <paramref name="tenth"/> (0..9).</summary>
    public int CapAt(int tenth) => PerSecond <= 0 ? int.MaxValue : Math.Min(PerSecond, (PerSecond * (tenth + 1) + 9) / 10);
}
