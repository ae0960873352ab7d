using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using NewsletterService.Delivery;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Delivery;

public abstract class StartupWarmUpTests(Database database)
{
    [SkippableFact]
    public async Task Start_WarmsTheSendPathWithoutWarnings_AndLeavesNoCampaignArticleOrAuditEntryBehind()
    {
        await using var app = await NewsletterApp.StartAsync(database);

        // The warm-up ran before the host answered: it inserted (and rolled back) a campaign and an article, and ran
        // every query of a campaign's way for a campaign that cannot exist.
        Assert.DoesNotContain(app.Log.Entries, e => e.Contains("warm-up", StringComparison.OrdinalIgnoreCase) ||
                                                    e.Contains("Warming", StringComparison.Ordinal));
        var left = await app.WithDbAsync(db => Task.FromResult((
            db.Campaigns.Count(), db.Articles.Count(), db.Deliveries.Count(), db.AuditEntries.Count())));
        Assert.Equal((0, 0, 0, 0), left);
    }

    [SkippableFact]
    public async Task Start_RunsTheCampaignJobsOfTheWarmUpInAStorageOfTheirOwn_NotInTheServicesJobStorage()
    {
        await using var app = await NewsletterApp.StartAsync(database);

        // The warm-up's two jobs succeeded (it says so when they do not, as a warning checked above); none is here.
        var jobs = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var stored = jobs.SucceededJobs(0, 100).Select(j => j.Value.Job)
            .Concat(jobs.Queues().SelectMany(q => jobs.EnqueuedJobs(q.Name, 0, 100)).Select(j => j.Value.Job))
            .Concat(jobs.ProcessingJobs(0, 100).Select(j => j.Value.Job))
            .Concat(jobs.FailedJobs(0, 100).Select(j => j.Value.Job));
        Assert.DoesNotContain(stored, job => job?.Type == typeof(CampaignStarter) || job?.Type == typeof(CampaignBatchJob));
    }
}

public sealed class StartupWarmUpOnSqlite() : StartupWarmUpTests(Database.Sqlite);

public sealed class StartupWarmUpOnPostgres() : StartupWarmUpTests(Database.Postgres);
