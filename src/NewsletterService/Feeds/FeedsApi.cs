using Hangfire;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Subscriptions;

namespace NewsletterService.Feeds;

public static class FeedsApi
{
    public sealed record FeedInput(string? Url, string[]? Lists, bool AutoSend);

    public sealed record FeedView(long Id, string Url, string? Title, string[] Lists, bool AutoSend, string Status,
        DateTime? LastPolledAt, DateTime? LastSuccessAt, string? LastError, int ItemsImported)
    {
        public static FeedView Of(Feed f) => new(f.Id, f.Url, f.Title, f.Lists.Split(',', StringSplitOptions.RemoveEmptyEntries), f.AutoSend,
            f.LastPolledAt is null ? "new" : f.LastError is null ? "ok" : "error", f.LastPolledAt, f.LastSuccessAt, f.LastError, f.ItemsImported);
    }

    public static RouteGroupBuilder MapFeedsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/feeds");
        group.MapPost("/", CreateAsync);
        group.MapGet("/", async (NewsletterDb db, CancellationToken ct) => Results.Ok(await AllAsync(db, ct)));
        group.MapGet("/{id:long}", async (long id, NewsletterDb db, CancellationToken ct) =>
            await db.Feeds.FindAsync([id], ct) is { } f ? Results.Ok(FeedView.Of(f)) : Problems.NotFound($"There is no feed {id}."));
        group.MapPost("/{id:long}/poll", PollAsync);
        group.MapDelete("/{id:long}", DeleteAsync);
        return api;
    }

    public static async Task<List<FeedView>> AllAsync(NewsletterDb db, CancellationToken ct) =>
        (await db.Feeds.AsNoTracking().OrderBy(f => f.Id).ToListAsync(ct)).Select(FeedView.Of).ToList();

    /// <summary>Polls the feed now (as the schedule does) and answers its state afterwards.</summary>
    public static async Task<IResult> PollAsync(long id, NewsletterDb db, FeedPoller poller, CancellationToken ct)
    {
        await poller.PollAsync(id, ct);
        return await db.Feeds.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct) is { } f
            ? Results.Ok(FeedView.Of(f)) : Problems.NotFound($"There is no feed {id}.");
    }

    /// <summary>Stops polling the feed; the articles it imported stay.</summary>
    public static async Task<IResult> DeleteAsync(long id, NewsletterDb db, CancellationToken ct) =>
        await db.Feeds.Where(f => f.Id == id).ExecuteDeleteAsync(ct) == 1 ? Results.NoContent() : Problems.NotFound($"There is no feed {id}.");

    public static async Task<IResult> CreateAsync(
        FeedInput? input, NewsletterDb db, IBackgroundJobClient jobs, TimeProvider time, FeedAddressRule addresses, CancellationToken ct)
    {
        if (!Uri.TryCreate(input?.Url?.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return Problems.Invalid("url", "url must be an absolute http(s) URL of an RSS 2.0 or Atom feed.");
        if (addresses.RefusesHost(url)) // an early hint; every connection the poller opens is checked again
            return Problems.Invalid("url", "url is on a private network (or is localhost); feeds must be on the public internet "
                + "(an operator can allow it with Feeds__AllowPrivateNetworks or Feeds__AllowedNetworks).");
        var lists = (input!.Lists ?? []).Select(l => l.Trim().ToLowerInvariant()).Where(l => l.Length > 0).Distinct().ToArray();
        if (!SubscriptionChoices.TryResolveLists(await SubscriptionChoices.ListsBySlugAsync(db, ct), lists, out _, out var error))
            return Problems.Invalid("lists", error);
        if (await db.Feeds.AnyAsync(f => f.Url == url.ToString(), ct))
            return Problems.Invalid("url", "This feed is registered already.");

        var feed = new Feed { Url = url.ToString(), Lists = string.Join(',', lists), AutoSend = input.AutoSend, CreatedAt = time.GetUtcNow().UtcDateTime };
        db.Feeds.Add(feed);
        await db.SaveChangesAsync(ct);
        jobs.Enqueue<FeedPoller>(p => p.PollAsync(feed.Id, CancellationToken.None)); // first poll now, then on the schedule
        return Results.Created($"/api/feeds/{feed.Id}", FeedView.Of(feed));
    }
}
