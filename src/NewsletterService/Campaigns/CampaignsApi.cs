using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;
using NewsletterService.Delivery;
using NewsletterService.Infrastructure;

namespace NewsletterService.Campaigns;

public static class CampaignsApi
{
    public static RouteGroupBuilder MapCampaignsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/campaigns");
        group.MapPost("/", async (CampaignScheduler.CreateCampaign? request, CampaignScheduler s, NewsletterDb db, CancellationToken ct) =>
            await AnswerAsync(db, await s.CreateAsync(request, ct), v => Results.Created($"/api/campaigns/{v.Id}", v), ct))
            .WithIdempotencyKey();
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:long}", GetAsync);
        group.MapPost("/{id:long}/pause", async (long id, CampaignControl control, NewsletterDb db, CancellationToken ct) =>
            await AnswerAsync(db, await control.PauseAsync(id, ct), Results.Ok, ct));
        group.MapPost("/{id:long}/resume", async (long id, CampaignControl control, NewsletterDb db, CancellationToken ct) =>
            await AnswerAsync(db, await control.ResumeAsync(id, ct), Results.Ok, ct));
        group.MapPost("/{id:long}/cancel", async (long id, CampaignControl control, NewsletterDb db, CancellationToken ct) =>
            await AnswerAsync(db, await control.CancelAsync(id, ct), Results.Ok, ct));
        return api;
    }

    /// <summary>The campaign an operation gave back as the API shows it, or the problem it refused with.</summary>
    private static async Task<IResult> AnswerAsync(
        NewsletterDb db, Outcome<Campaign> outcome, Func<CampaignView, IResult> answer, CancellationToken ct) =>
        outcome.Value is { } campaign ? answer(await ViewAsync(db, campaign, ct)) : outcome.Refusal!.Problem();

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
