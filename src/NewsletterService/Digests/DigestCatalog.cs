using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Subscriptions;

namespace NewsletterService.Digests;

/// <summary>The daily and weekly digests for <c>/api/digests</c> and the dashboard: when each runs, what it last sent, a run now.</summary>
public static class DigestCatalog
{
    public sealed record DigestView(Cadence Cadence, string RecurringJobId, string Cron, string TimeZone,
        DateTime? NextRun, DateTime? LastRun, long? LastCampaignId, DateTime? LastCampaignAt);

    public const string NothingNew = "No subscriber has new articles since their last digest.";

    public static async Task<List<DigestView>> ListAsync(
        NewsletterDb db, JobStorage storage, IOptions<DigestOptions> options, CancellationToken ct)
    {
        using var connection = storage.GetConnection();
        var jobs = connection.GetRecurringJobs([DigestRunner.RecurringJobId(Cadence.Daily), DigestRunner.RecurringJobId(Cadence.Weekly)])
            .ToDictionary(j => j.Id);
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

    /// <summary>Runs a digest now: its campaign, or none when nobody has anything new (<see cref="NothingNew"/>).</summary>
    public static async Task<Outcome<Campaign?>> RunNowAsync(string cadence, DigestRunner runner, NewsletterDb db, CancellationToken ct)
    {
        if (!Enum.TryParse<Cadence>(cadence, ignoreCase: true, out var parsed) || parsed == Cadence.Immediate ||
            char.IsAsciiDigit(cadence[0]))
            return Refusal.Invalid("cadence", "cadence must be 'daily' or 'weekly'.");
        return await runner.RunAsync(parsed, ct) is { } id ? await db.Campaigns.AsNoTracking().FirstAsync(c => c.Id == id, ct) : null;
    }
}
