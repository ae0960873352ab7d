using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;
using NewsletterService.Infrastructure;

namespace NewsletterService.Subscriptions;

/// <summary><c>GET/POST /api/lists</c>: the topics readers can join and campaigns can target.</summary>
public static class ListsApi
{
    public sealed record CreateList(string? Slug, string? Name);

    public sealed record ListView(long Id, string Slug, string Name, int Subscribers);

    public static RouteGroupBuilder MapListsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/lists");
        group.MapGet("/", async (NewsletterDb db, CancellationToken ct) => Results.Ok(await db.Lists.AsNoTracking().OrderBy(l => l.Slug)
            .Select(l => new ListView(l.Id, l.Slug, l.Name, db.ListMembers.Count(m => m.ListId == l.Id &&
                db.Subscribers.Any(s => s.Id == m.SubscriberId && s.Status == SubscriberStatus.Confirmed))))
            .ToListAsync(ct)));
        group.MapPost("/", CreateAsync);
        return api;
    }

    private static async Task<IResult> CreateAsync(CreateList? request, NewsletterDb db, TimeProvider time, CancellationToken ct)
    {
        var slug = request?.Slug?.Trim() ?? "";
        if (!MailingList.IsValidSlug(slug))
            return Problems.Invalid("slug", "slug must be 1-50 lower-case letters, digits and inner hyphens, e.g. 'local-news'.");
        if (!SubscriberName.TryNormalise(request!.Name, out var name, out var error) || name is null)
            return Problems.Invalid("name", name is null && error.Length == 0 ? "name is required." : error);
        if (await db.Lists.AnyAsync(l => l.Slug == slug, ct))
            return Problems.Conflict($"There is already a list '{slug}'.");

        var list = new MailingList { Slug = slug, Name = name, CreatedAt = time.GetUtcNow().UtcDateTime };
        db.Lists.Add(list);
        await db.SaveChangesAsync(ct);
        return Results.Created($"/api/lists/{list.Slug}", new ListView(list.Id, list.Slug, list.Name, 0));
    }
}
