using System.Collections.Concurrent;
using Hangfire;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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

    [SkippableFact]
    public async Task FirstCampaign_CompilesNoQuery_TheWarmUpCompiledThemAllAtStart()
    {
        var compiled = new QueryCompilations();
        await using var app = await NewsletterApp.StartAsync(database,
            new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Query"] = "Debug" },
            services: s => s.AddSingleton<ILoggerProvider>(compiled));
        var admin = app.Admin();
        var article = await admin.ImportArticleAsync(SampleTexts.Article);
        await admin.ImportSubscribersAsync(Api.Csv(3));

        compiled.Queries.Clear();
        var id = await admin.StartCampaignAsync(article["id"]!.GetValue<long>());
        await admin.WaitForCampaignAsync(id);

        // EF Core compiles a query the first time it runs it (~10-60 ms each): the first campaign after a start ran eight
        // that the warm-up had not (nine when the watchdog ticked meanwhile).
        Assert.True(compiled.Queries.IsEmpty, string.Join("\n\n", compiled.Queries));
    }

    /// <summary>The queries EF Core compiles (its QueryCompilationStarting event), as it logs them.</summary>
    private sealed class QueryCompilations : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<string> Queries { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == CoreEventId.QueryCompilationStarting.Id) Queries.Enqueue(formatter(state, exception));
        }

        public void Dispose() { }
    }
}

public sealed class StartupWarmUpOnSqlite() : StartupWarmUpTests(Database.Sqlite);

public sealed class StartupWarmUpOnPostgres() : StartupWarmUpTests(Database.Postgres);
