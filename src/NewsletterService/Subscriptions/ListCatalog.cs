using Microsoft.EntityFrameworkCore;
using NewsletterService.Audit;
using NewsletterService.Data;
using NewsletterService.Infrastructure;

namespace NewsletterService.Subscriptions;

/// <summary>
/// The lists readers can join, shared by <c>/api/lists</c> and the dashboard: each with its confirmed and pending
/// members; create, rename (the slug stays: imports, forms and feeds name lists by it) and delete an unused one.
/// </summary>
public sealed class ListCatalog(NewsletterDb db, TimeProvider time, AuditLog audit)
{
    public sealed record CreateList(string? Slug, string? Name);

    public sealed record RenameList(string? Name);

    /// <summary><paramref name="Subscribers"/>: confirmed members, those who receive what is sent to the list.</summary>
    public sealed record ListView(long Id, string Slug, string Name, int Subscribers, int Pending, DateTime CreatedAt);

    public async Task<List<ListView>> AllAsync(CancellationToken ct)
    {
        var lists = await db.Lists.AsNoTracking().OrderBy(l => l.Slug).ToListAsync(ct);
        var counts = await (from m in db.ListMembers
                            join s in db.Subscribers on m.SubscriberId equals s.Id
                            where s.Status == SubscriberStatus.Confirmed || s.Status == SubscriberStatus.Pending
                            group s by new { m.ListId, s.Status } into g
                            select new { g.Key.ListId, g.Key.Status, Count = g.Count() }).ToListAsync(ct);
        int Count(long listId, SubscriberStatus status) => counts.FirstOrDefault(c => c.ListId == listId && c.Status == status)?.Count ?? 0;
        return lists.Select(l => new ListView(
                l.Id, l.Slug, l.Name, Count(l.Id, SubscriberStatus.Confirmed), Count(l.Id, SubscriberStatus.Pending), l.CreatedAt))
            .ToList();
    }

    public async Task<Outcome<ListView>> CreateAsync(CreateList? request, CancellationToken ct)
    {
        var slug = request?.Slug?.Trim() ?? "";
        if (!MailingList.IsValidSlug(slug))
            return Refusal.Invalid("slug", "slug must be 1-50 lower-case letters, digits and inner hyphens, e.g. 'local-news'.");
        if (ReadName(request!.Name, out var name) is { } refusal) return refusal;
        if (await db.Lists.AnyAsync(l => l.Slug == slug, ct))
            return Refusal.Conflict($"There is already a list '{slug}'.");

        var list = new MailingList { Slug = slug, Name = name, CreatedAt = time.GetUtcNow().UtcDateTime };
        db.Lists.Add(list);
        await db.SaveChangesAsync(ct);
        return new ListView(list.Id, list.Slug, list.Name, 0, 0, list.CreatedAt);
    }

    public async Task<Outcome<ListView>> RenameAsync(string slug, RenameList? request, CancellationToken ct)
    {
        if (ReadName(request?.Name, out var name) is { } refusal) return refusal;
        if (await db.Lists.Where(l => l.Slug == slug).ExecuteUpdateAsync(s => s.SetProperty(l => l.Name, name), ct) == 0)
            return Refusal.NotFound($"There is no list '{slug}'.");
        return (await AllAsync(ct)).Single(l => l.Slug == slug);
    }

    /// <summary>
    /// Deletes a list nothing depends on; its members stay subscribers, only their membership goes. A list that
    /// campaigns were sent to, that articles are meant for, or that a feed files its items under is kept.
    /// </summary>
    public async Task<Refusal?> DeleteAsync(string slug, CancellationToken ct)
    {
        if (await db.Lists.AsNoTracking().FirstOrDefaultAsync(l => l.Slug == slug, ct) is not { } list)
            return Refusal.NotFound($"There is no list '{slug}'.");
        var campaigns = await db.CampaignLists.CountAsync(c => c.ListId == list.Id, ct);
        var articles = await db.Set<Articles.ArticleList>().CountAsync(a => a.ListId == list.Id, ct);
        var feeds = (await db.Feeds.AsNoTracking().Select(f => new { f.Url, f.Lists }).ToListAsync(ct))
            .Where(f => f.Lists.Split(',').Contains(slug)).Select(f => f.Url).ToList();
        var membersOnly =
            $"{Plural(articles, "article is", "articles are")} meant for its members only; without the list they would go to everyone.";
        var reason = campaigns > 0 ? $"{Plural(campaigns, "campaign was", "campaigns were")} sent to it, and their record names it."
            : articles > 0 ? membersOnly
            : feeds.Count > 0 ? $"the feed {feeds[0]} files its articles under it; delete that feed first."
            : null;
        if (reason is not null) return Refusal.Conflict($"The list '{slug}' is kept: {reason}");

        await db.Lists.Where(l => l.Id == list.Id).ExecuteDeleteAsync(ct); // memberships go with it (cascade)
        await audit.RecordAsync("list.delete", $"list {slug}", new { list.Name });
        return null;
    }

    private static Refusal? ReadName(string? input, out string name)
    {
        var read = SubscriberName.TryNormalise(input, out var normalised, out var error) && normalised is not null;
        name = normalised ?? "";
        return read ? null : Refusal.Invalid("name", normalised is null && error.Length == 0 ? "name is required." : error);
    }

    private static string Plural(int n, string one, string many) => n == 1 ? $"1 {one}" : $"{n} {many}";
}
