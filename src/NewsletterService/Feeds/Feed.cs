namespace NewsletterService.Feeds;

/// <summary>An RSS 2.0 or Atom feed whose new items become articles.</summary>
public sealed class Feed
{
    public long Id { get; set; }
    public required string Url { get; set; }
    public string? Title { get; set; }

    /// <summary>Slugs of the lists the feed's articles are meant for, comma-separated.</summary>
    public string Lists { get; set; } = "";

    /// <summary>Send each new item at once to the lists' subscribers who take every article as it comes.</summary>
    public bool AutoSend { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastPolledAt { get; set; }
    public DateTime? LastSuccessAt { get; set; }

    /// <summary>Why the last poll failed (unreachable, malformed); null after a good poll.</summary>
    public string? LastError { get; set; }
    public int ItemsImported { get; set; }
}
