using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Security;
using static NewsletterService.Feeds.FeedCatalog;

namespace NewsletterService.Feeds;

/// <summary><c>/api/feeds</c>: the RSS and Atom feeds articles are imported from (see <see cref="FeedCatalog"/>).</summary>
public static class FeedsApi
{
    public static RouteGroupBuilder MapFeedsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/feeds");
        group.MapPost("/", async (FeedInput? input, FeedCatalog feeds, CancellationToken ct) =>
            (await feeds.CreateAsync(input, ct)).Answer(f => Results.Created($"/api/feeds/{f.Id}", FeedView.Of(f))))
            .RequirePermission(Permission.Send);
        group.MapGet("/", async (FeedCatalog feeds, CancellationToken ct) => Results.Ok(await feeds.AllAsync(ct)))
            .RequirePermission(Permission.Read);
        group.MapGet("/{id:long}", async (long id, NewsletterDb db, CancellationToken ct) =>
            await db.Feeds.FindAsync([id], ct) is { } f ? Results.Ok(FeedView.Of(f)) : Problems.NotFound($"There is no feed {id}."))
            .RequirePermission(Permission.Read);
        group.MapPost("/{id:long}/poll", async (long id, FeedCatalog feeds, CancellationToken ct) =>
            (await feeds.PollAsync(id, ct)).Answer(f => Results.Ok(FeedView.Of(f)))).RequirePermission(Permission.Send);
        group.MapDelete("/{id:long}", async (long id, FeedCatalog feeds, CancellationToken ct) =>
            (await feeds.DeleteAsync(id, ct))?.Problem() ?? Results.NoContent()).RequirePermission(Permission.Send);
        return api;
    }
}
