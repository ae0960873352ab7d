using Hangfire;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Audit;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Subscriptions;

namespace NewsletterService.Feeds;

/// <summary>The registered feeds, shared by <c>/api/feeds</c> and the dashboard: register one, poll one now, delete one.</summary>
public sealed class FeedCatalog(
    NewsletterDb db, IBackgroundJobClient jobs, TimeProvider time, FeedAddressRule addresses, FeedPoller poller, AuditLog audit)
{
    public sealed record FeedInput(string? Url, string[]? Lists, bool AutoSend);

    public sealed record FeedView(long Id, string Url, string? Title, string[] Lists, bool AutoSend, string Status,
        DateTime? LastPolledAt, DateTime? LastSuccessAt, string? LastError, int ItemsImported)
    {
        public static FeedView Of(Feed f) => new(
            f.Id, f.Url, f.Title, f.Lists.Split(',', StringSplitOptions.RemoveEmptyEntries), f.AutoSend,
            f.LastPolledAt is null ? "new" : f.LastError is null ? "ok" : "error",
            f.LastPolledAt, f.LastSuccessAt, f.LastError, f.ItemsImported);
    }

    public async Task<List<FeedView>> AllAsync(CancellationToken ct) =>
        (await db.Feeds.AsNoTracking().OrderBy(f => f.Id).ToListAsync(ct)).Select(FeedView.Of).ToList();

    public async Task<Outcome<Feed>> CreateAsync(FeedInput? input, CancellationToken ct)
    {
        if (!Uri.TryCreate(input?.Url?.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return Refusal.Invalid("url", "Feed address must be a full web address starting with http:// or https://, "
                + "e.g. https://example.com/news.rss.");
        if (addresses.RefusesHost(url)) // an early hint; every connection the poller opens is checked again
            return Refusal.Invalid("url", FeedErrors.PrivateNetwork);
        var lists = (input!.Lists ?? []).Select(l => l.Trim().ToLowerInvariant()).Where(l => l.Length > 0).Distinct().ToArray();
        if (!SubscriptionChoices.TryResolveLists(await SubscriptionChoices.ListsBySlugAsync(db, ct), lists, out _, out var error))
            return Refusal.Invalid("lists", error);
        if (await db.Feeds.AnyAsync(f => f.Url == url.ToString(), ct))
            return Refusal.Invalid("url", "This feed is registered already.");

        var feed = new Feed
        {
            Url = url.ToString(), Lists = string.Join(',', lists), AutoSend = input.AutoSend, CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Feeds.Add(feed);
        await db.SaveChangesAsync(ct);
        jobs.Enqueue<FeedPoller>(p => p.PollAsync(feed.Id, CancellationToken.None)); // first poll now, then on the schedule
        return feed;
    }

    /// <summary>Polls the feed now (as the schedule does) and gives its state afterwards.</summary>
    public async Task<Outcome<Feed>> PollAsync(long id, CancellationToken ct)
    {
        await poller.PollAsync(id, ct);
        return await db.Feeds.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct) is { } feed
            ? feed : Refusal.NotFound($"There is no feed {id}.");
    }

    /// <summary>Stops polling the feed; the articles it imported stay.</summary>
    public async Task<Refusal?> DeleteAsync(long id, CancellationToken ct)
    {
        var url = await db.Feeds.Where(f => f.Id == id).Select(f => f.Url).FirstOrDefaultAsync(ct);
        if (await db.Feeds.Where(f => f.Id == id).ExecuteDeleteAsync(ct) == 0) return Refusal.NotFound($"There is no feed {id}.");
        await audit.RecordAsync("feed.delete", $"feed {id}", new { url });
        return null;
    }
}
