using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Subscriptions;

namespace NewsletterService.Campaigns;

public static class CampaignsApi
{
    /// <summary><paramref name="Lists"/>: slugs of the lists to send to; none = every confirmed subscriber.</summary>
    public sealed record CreateCampaign(long? ArticleId, DateTimeOffset? SendAt, string[]? Lists);

    public static RouteGroupBuilder MapCampaignsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/campaigns");
        group.MapPost("/", CreateAsync);
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:long}", GetAsync);
        group.MapPost("/{id:long}/pause", (long id, CampaignControl control, CancellationToken ct) => control.PauseAsync(id, "paused by an editor", ct));
        group.MapPost("/{id:long}/resume", (long id, CampaignControl control, CancellationToken ct) => control.ResumeAsync(id, ct));
        group.MapPost("/{id:long}/cancel", (long id, CampaignControl control, CancellationToken ct) => control.CancelAsync(id, ct));
        return api;
    }

    public static async Task<IResult> CreateAsync(CreateCampaign? request, NewsletterDb db, CampaignScheduler scheduler, CancellationToken ct)
    {
        if (request?.ArticleId is not { } articleId)
            return Problems.Invalid("articleId", "articleId is required.");
        if (!await db.Articles.AnyAsync(a => a.Id == articleId, ct))
            return Problems.Invalid("articleId", $"There is no article {articleId}.");
        if (!SubscriptionChoices.TryResolveLists(await SubscriptionChoices.ListsBySlugAsync(db, ct), request.Lists, out var listIds, out var error))
            return Problems.Invalid("lists", error);

        var campaign = await scheduler.CreateAsync(articleId, listIds, request.SendAt, ct);
        return Results.Created($"/api/campaigns/{campaign.Id}", await ViewAsync(db, campaign, ct));
    }

    private static async Task<IResult> ListAsync(NewsletterDb db, CancellationToken ct, int page = 1, int pageSize = 50)
    {
        (page, pageSize) = Paging.Clamp(page, pageSize);
        var campaigns = await db.Campaigns.AsNoTracking().OrderByDescending(c => c.Id)
            .Skip(Paging.Skip(page, pageSize)).Take(pageSize).ToListAsync(ct);
        var items = new List<CampaignView>();
        foreach (var c in campaigns) items.Add(await ViewAsync(db, c, ct));
        return Results.Ok(new { page, pageSize, total = await db.Campaigns.CountAsync(ct), items });
    }

    public static async Task<IResult> GetAsync(long id, NewsletterDb db, CancellationToken ct) =>
        await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is { } campaign
            ? Results.Ok(await ViewAsync(db, campaign, ct))
            : Problems.NotFound($"There is no campaign {id}.");

    public sealed record CampaignView(
        long Id, CampaignKind Kind, long? ArticleId, CampaignStatus Status, int Total, int Sent, int Failed, int Skipped, int Pending,
        DateTime CreatedAt, DateTime? SendAt, DateTime? StartedAt, DateTime? CompletedAt, string? PausedReason, IReadOnlyList<string> Lists);

    public static async Task<CampaignView> ViewAsync(NewsletterDb db, Campaign c, CancellationToken ct)
    {
        var n = await CampaignProgress.CountAsync(db, c.Id, ct);
        var lists = await db.CampaignLists.Where(x => x.CampaignId == c.Id)
            .Join(db.Lists, x => x.ListId, l => l.Id, (_, l) => l.Slug).OrderBy(slug => slug).ToListAsync(ct);
        return new CampaignView(c.Id, c.Kind, c.ArticleId, c.Status, Math.Max(n.Total, c.Total), n.Sent, n.Failed, n.Skipped, n.Pending,
            c.CreatedAt, c.SendAt, c.StartedAt, c.CompletedAt, c.PausedReason, lists);
    }
}
