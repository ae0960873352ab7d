using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;
using NewsletterService.Delivery;
using NewsletterService.Infrastructure;
using NewsletterService.Security;

namespace NewsletterService.Campaigns;

public static class CampaignsApi
{
    public static RouteGroupBuilder MapCampaignsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/campaigns");
        group.MapPost("/", CreateAsync).WithIdempotencyKey().RequirePermission(Permission.Prepare); // a writer's awaits approval
        group.MapGet("/", ListAsync).RequirePermission(Permission.Read);
        group.MapGet("/{id:long}", GetAsync).RequirePermission(Permission.Read);
        group.MapPost("/{id:long}/pause", async (long id, CampaignControl control, NewsletterDb db, CancellationToken ct) =>
            await AnswerAsync(db, await control.PauseAsync(id, ct), Results.Ok, ct)).RequirePermission(Permission.Send);
        group.MapPost("/{id:long}/resume", async (long id, CampaignControl control, NewsletterDb db, CancellationToken ct) =>
            await AnswerAsync(db, await control.ResumeAsync(id, ct), Results.Ok, ct)).RequirePermission(Permission.Send);
        group.MapPost("/{id:long}/cancel", async (long id, CampaignControl control, NewsletterDb db, ClaimsPrincipal user, CancellationToken ct) =>
            await AnswerAsync(db, await control.CancelAsync(id, ct, CampaignActor.Of(user)), Results.Ok, ct))
            .RequirePermission(Permission.Prepare); // a writer: only their own campaign before approval
        group.MapApprovalApi();
        return api;
    }

    /// <summary>
    /// Creates a campaign; its answer tells how many readers it goes to (<c>audience</c>). With <c>?dryRun=true</c>,
    /// creates nothing and answers whom it would reach: in all, per list, and who is left out and why.
    /// </summary>
    private static async Task<IResult> CreateAsync(CampaignScheduler.CreateCampaign? request, string? dryRun, CampaignScheduler s,
        NewsletterDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!TryParseDryRun(dryRun, out var dry)) return Problems.Invalid("dryRun", "dryRun must be true or false.");
        if (dry) return (await s.DryRunAsync(request, ct)).Answer(Results.Ok);
        var actor = CampaignActor.Of(user);
        var created = await s.CreateAsync(request, ct, writer: actor.CanSend ? null : actor);
        return await AnswerAsync(db, created, v => Results.Created($"/api/campaigns/{v.Id}", v), ct, withAudience: true);
    }

    private static bool TryParseDryRun(string? value, out bool dryRun)
    {
        dryRun = false;
        return string.IsNullOrEmpty(value) || bool.TryParse(value, out dryRun);
    }

    /// <summary>The campaign an operation gave back as the API shows it, or the problem it refused with.</summary>
    public static async Task<IResult> AnswerAsync(
        NewsletterDb db, Outcome<Campaign> outcome, Func<CampaignView, IResult> answer, CancellationToken ct, bool withAudience = false) =>
        outcome.Value is { } campaign ? answer(await ViewAsync(db, campaign, ct, withAudience)) : outcome.Refusal!.Problem();

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
        await CampaignProgress.ReadAsync(db, id, ct) is { } campaign
            ? Results.Ok(await ViewAsync(db, campaign, ct))
            : Problems.NotFound($"There is no campaign {id}.");

    /// <summary>
    /// A campaign as the API shows it. <see cref="Audience"/>: the readers an article campaign would reach if it started
    /// now (given when it is created, and while it waits to start; once started, <see cref="Total"/> is the truth).
    /// <see cref="Pending"/>: deliveries still open; <see cref="Cancelled"/>: those its cancel stopped. Once finished:
    /// <see cref="DurationSeconds"/> from start to finish and <see cref="AverageRate"/> in messages sent per second. A writer's
    /// campaign: who submitted it and when, who last approved or returned it, and the comment it was returned with.
    /// </summary>
    public sealed record CampaignView(
        long Id, CampaignKind Kind, long? ArticleId, CampaignStatus Status, int? Audience, int Total, int Sent, int Failed, int Skipped,
        int Cancelled, int Pending, DateTime CreatedAt, DateTime? SendAt, DateTime? StartedAt, DateTime? CompletedAt,
        double? DurationSeconds, double? AverageRate, string? PausedReason, IReadOnlyList<string> Lists,
        string? SubmittedBy, DateTime? SubmittedAt, string? ReviewedBy, DateTime? ReviewedAt, string? ReviewComment);

    public static async Task<CampaignView> ViewAsync(NewsletterDb db, Campaign c, CancellationToken ct, bool withAudience = false)
    {
        var n = await CampaignProgress.CountAsync(db, c.Id, ct);
        var lists = await db.CampaignLists.Where(x => x.CampaignId == c.Id)
            .Join(db.Lists, x => x.ListId, l => l.Id, (_, l) => l.Slug).OrderBy(slug => slug).ToListAsync(ct);
        var waiting = c.LedgerWrittenAt is null && c.Status is CampaignStatus.Scheduled or CampaignStatus.Sending or CampaignStatus.Paused
            or CampaignStatus.AwaitingApproval or CampaignStatus.Returned;
        int? audience = c.Kind == CampaignKind.Article && (withAudience || waiting)
            ? await CampaignAudience.OfCampaignAsync(db, c.Id, ct) : null;
        var (seconds, rate) = CampaignProgress.Pace(c, n.Sent);
        return new CampaignView(c.Id, c.Kind, c.ArticleId, c.Status, audience, Math.Max(n.Total, c.Total), n.Sent, n.Failed, n.Skipped,
            n.Cancelled, n.Pending, c.CreatedAt, c.SendAt, c.StartedAt, c.CompletedAt, seconds, rate, c.PausedReason, lists,
            c.SubmittedBy, c.SubmittedAt, c.ReviewedBy, c.ReviewedAt, c.ReviewComment);
    }
}
