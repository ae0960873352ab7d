using System.ServiceModel.Syndication;
using System.Xml;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Articles;
using NewsletterService.Data;
using NewsletterService.Rendering;
using NewsletterService.Subscriptions;

namespace NewsletterService.Feeds;

/// <summary>
/// Polls feeds and imports new items as articles, each once (keyed by the item's id, else its link). A feed that
/// cannot be fetched or parsed gets its error recorded on the feed and does not stop the others. With auto-send, the
/// first good read (the feed's backlog) is imported but not mailed; each later poll that finds new items sends one
/// campaign, of the newest, whose mail lists the others (<see cref="ArticleCampaignKind"/>).
/// </summary>
public sealed class FeedPoller(
    NewsletterDb db, IHttpClientFactory http, IOptions<FeedOptions> options, FeedPublisher publisher, TimeProvider time,
    ILogger<FeedPoller> log)
{
    public const string RecurringJobId = "feeds-poll";

    [Queue("default"), AutomaticRetry(Attempts = 0)]
    public async Task PollAllAsync(CancellationToken ct)
    {
        foreach (var id in await db.Feeds.Select(f => f.Id).ToListAsync(ct))
            await PollAsync(id, ct);
    }

    [Queue("default"), AutomaticRetry(Attempts = 0)]
    public async Task PollAsync(long feedId, CancellationToken ct)
    {
        if (await db.Feeds.FindAsync([feedId], ct) is not { } feed) return;
        var polledAt = time.GetUtcNow().UtcDateTime;
        try
        {
            var syndication = await FetchAsync(feed.Url, ct);
            // Read now, after the fetch: a poll that started earlier but finished first (the registration's own)
            // already read the backlog, and what this fetch found since is news.
            var backlog = await db.Feeds.Where(f => f.Id == feedId).Select(f => f.LastSuccessAt).FirstAsync(ct) is null;
            List<Article> imported;
            try
            {
                imported = await ImportAsync(feed, syndication, backlog, ct);
            }
            catch (DbUpdateException)
            {
                // Another poll of this feed imported some of the same items a moment ago: take what is still new.
                db.ChangeTracker.Clear();
                feed = (await db.Feeds.FindAsync([feedId], ct))!;
                backlog = feed.LastSuccessAt is null;
                imported = await ImportAsync(feed, syndication, backlog, ct);
            }
            log.LogInformation("Feed {FeedId} polled: {Imported} new articles", feed.Id, imported.Count);
            if (!feed.AutoSend || imported.Count == 0) return;
            if (backlog) log.LogInformation("Feed {FeedId}: its first {Imported} items are its backlog, not sent", feed.Id, imported.Count);
            else await publisher.SendAsync(imported.MaxBy(a => (a.PublishedAt, a.Id))!.Id, feed.Lists, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            db.ChangeTracker.Clear();
            var message = FeedErrors.Describe(e); // our words only: never what the remote server said
            await db.Feeds.Where(f => f.Id == feedId).ExecuteUpdateAsync(s => s
                .SetProperty(f => f.LastPolledAt, polledAt)
                .SetProperty(f => f.LastError, message), CancellationToken.None);
            log.LogWarning(e, "Feed {FeedId} at {Url} could not be read: {Error}", feedId, feed.Url, message);
        }
    }

    private async Task<SyndicationFeed> FetchAsync(string url, CancellationToken ct)
    {
        using var client = http.CreateClient(nameof(FeedPoller));
        client.Timeout = options.Value.Timeout;
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
        var status = (int)response.StatusCode;
        if (status is >= 300 and < 400) throw new FeedReadException(FeedErrors.Redirects); // a redirect the handler would not follow
        if (!response.IsSuccessStatusCode) throw new FeedReadException(FeedErrors.HttpError(status));
        var tooLarge = FeedErrors.TooLarge(options.Value.MaxBytes);
        if (response.Content.Headers.ContentLength > options.Value.MaxBytes) throw new FeedReadException(tooLarge);

        var body = new MemoryStream();
        await using (var stream = await response.Content.ReadAsStreamAsync(ct))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(buffer, ct)) > 0)
            {
                if (body.Length + read > options.Value.MaxBytes) throw new FeedReadException(tooLarge);
                body.Write(buffer, 0, read);
            }
        }
        body.Position = 0;
        try
        {
            using var reader = XmlReader.Create(body, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            return SyndicationFeed.Load(reader) ?? throw new XmlException("Neither RSS 2.0 nor Atom 1.0.");
        }
        catch (Exception e) when (e is XmlException or FormatException)
        {
            throw new FeedReadException(FeedErrors.NotAFeed, e);
        }
    }

    /// <summary>
    /// Adds the feed's items not imported before (<see cref="Article.IsBacklog"/> on its first good read), and records the good poll.
    /// </summary>
    private async Task<List<Article>> ImportAsync(Feed feed, SyndicationFeed syndication, bool backlog, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var items = syndication.Items
            .Select(item => (Item: item, Link: item.Links.FirstOrDefault(l => l.RelationshipType is null or "alternate")?.Uri))
            .Select(x => (x.Item, x.Link,
                Key: $"{KeyPrefix(feed.Id)}{(string.IsNullOrWhiteSpace(x.Item.Id) ? x.Link?.ToString() : x.Item.Id.Trim())}"))
            .Where(x => x.Item.Title?.Text is { Length: > 0 } && x.Key.Length <= 600 && !x.Key.EndsWith(':'))
            .DistinctBy(x => x.Key)
            .ToList();
        var keys = items.Select(x => x.Key).ToList();
        var known = (await db.Articles
            .Where(a => a.SourceKey != null && keys.Contains(a.SourceKey))
            .Select(a => a.SourceKey!)
            .ToListAsync(ct)).ToHashSet();

        var lists = await SubscriptionChoices.ListsBySlugAsync(db, ct);
        var listIds = feed.Lists.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Where(lists.ContainsKey)
            .Select(slug => lists[slug].Id)
            .ToList();
        var articles = new List<Article>();
        foreach (var (item, link, key) in items.Where(x => !known.Contains(x.Key)).OrderBy(x => x.Item.PublishDate))
        {
            var published = item.PublishDate != default ? item.PublishDate : item.LastUpdatedTime;
            // The link, escaped, only when it is an absolute http(s) URL that fits the column (Uri.ToString() would unescape it).
            var source = link is { IsAbsoluteUri: true } && SafeUrl.WebAddress(link.AbsoluteUri) is { Length: <= 2000 } address
                ? address
                : null;
            var body = FeedItemText.ToMarkdown(FeedItemText.Html(item), source);
            var article = new Article
            {
                Title = Normalise(item.Title.Text, 300),
                Byline = ArticleByline.Normalise(item.Authors.FirstOrDefault()?.Name is { } author ? Normalise(author, 200) : null),
                Body = body.Length > 0 ? body : ArticleMarkdown.Literal(Normalise(item.Title.Text, 300)),
                PublishedAt = published == default || published.UtcDateTime > now ? now : published.UtcDateTime,
                CreatedAt = now,
                SourceUrl = source,
                SourceKey = key,
                IsBacklog = backlog,
                Lists = listIds.Select(id => new ArticleList { ListId = id }).ToList(),
            };
            db.Articles.Add(article);
            articles.Add(article);
        }
        feed.Title ??= syndication.Title?.Text;
        feed.ItemsImported += articles.Count;
        feed.LastPolledAt = now;
        feed.LastSuccessAt = now;
        feed.LastError = null;
        await db.SaveChangesAsync(ct);
        return articles;
    }

    private static string KeyPrefix(long feedId) => $"feed:{feedId}:";

    /// <summary>The key prefix shared by the articles of the feed an article came from, or null for one not from a feed.</summary>
    public static string? FeedOf(string? sourceKey) =>
        sourceKey is not null && sourceKey.StartsWith("feed:", StringComparison.Ordinal) && sourceKey.IndexOf(':', 5) is > 5 and var end
            ? sourceKey[..(end + 1)] : null;

    private static string Normalise(string text, int max)
    {
        var single = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return single.Length <= max ? single : single[..max];
    }
}
