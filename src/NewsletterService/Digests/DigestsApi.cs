using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Subscriptions;

namespace NewsletterService.Digests;

public static class DigestsApi
{
    public sealed record DigestView(Cadence Cadence, string RecurringJobId, string Cron, string TimeZone,
        DateTime? NextRun, DateTime? LastRun, long? LastCampaignId, DateTime? LastCampaignAt);

    /// <summary>The answer to a run that made no campaign (<paramref name="Campaign"/> is always null).</summary>
    public sealed record NothingNew(object? Campaign, string Reason);

    public static RouteGroupBuilder MapDigestsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/digests");
        group.MapGet("/", ListAsync);
        group.MapPost("/{cadence}/run", RunAsync);
        return api;
    }

    public static async Task<List<DigestView>> ListAsync(NewsletterDb db, JobStorage storage, IOptions<DigestOptions> options, CancellationToken ct)
    {
        using var connection = storage.GetConnection();
        var jobs = connection.GetRecurringJobs([DigestRunner.RecurringJobId(Cadence.Daily), DigestRunner.RecurringJobId(Cadence.Weekly)]).ToDictionary(j => j.Id);
        var views = new List<DigestView>();
        foreach (var cadence in new[] { Cadence.Daily, Cadence.Weekly })
        {
            var id = DigestRunner.RecurringJobId(cadence);
            var job = jobs.GetValueOrDefault(id);
            var last = await db.Campaigns.AsNoTracking().Where(c => c.Kind == CampaignKind.Digest && c.DigestCadence == cadence)
                .OrderByDescending(c => c.Id).Select(c => new { c.Id, c.CreatedAt }).FirstOrDefaultAsync(ct);
            views.Add(new DigestView(cadence, id, options.Value.CronFor(cadence), options.Value.TimeZone,
                job?.NextExecution, job?.LastExecution, last?.Id, last?.CreatedAt));
        }
        return views;
    }

    /// <summary>Runs a digest now: 201 with the campaign, or 200 with <c>campaign: null</c> when nobody has anything new.</summary>
    public static async Task<IResult> RunAsync(string cadence, DigestRunner runner, NewsletterDb db, CancellationToken ct)
    {
        if (!Enum.TryParse<Cadence>(cadence, ignoreCase: true, out var parsed) || parsed == Cadence.Immediate || char.IsAsciiDigit(cadence[0]))
            return Problems.Invalid("cadence", "cadence must be 'daily' or 'weekly'.");
        if (await runner.RunAsync(parsed, ct) is not { } id)
            return Results.Ok(new NothingNew(null, "No subscriber has new articles since their last digest."));
        var campaign = await db.Campaigns.AsNoTracking().FirstAsync(c => c.Id == id, ct);
        return Results.Created($"/api/campaigns/{id}", await CampaignsApi.ViewAsync(db, campaign, ct));
    }
}
