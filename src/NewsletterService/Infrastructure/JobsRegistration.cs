using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using Microsoft.AspNetCore.Http.Features;
using NewsletterService.Data;
using NewsletterService.Delivery;
using NewsletterService.Security;

namespace NewsletterService.Infrastructure;

public static class JobsRegistration
{
    /// <summary>Queues in the order workers serve them: confirmations before campaign starts, digests and polls.</summary>
    public static readonly string[] Queues = ["critical", "default"];

    /// <summary>
    /// Campaign batches have workers of their own (<c>Delivery:ConcurrentBatches</c>), so they never hold up the other jobs.
    /// </summary>
    public const string BatchQueue = "batches";

    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        var jobs = builder.Configuration.Read<JobsOptions>(JobsOptions.Section);
        var roles = builder.Configuration.Read<RolesOptions>(RolesOptions.Section);
        builder.Services.AddValidatedOptions<JobsOptions>(JobsOptions.Section);
        builder.Services.AddValidatedOptions<RolesOptions>(RolesOptions.Section);

        var storage = builder.Configuration.Read<StorageOptions>(StorageOptions.Section);
        var connectionString = DataRegistration.ConnectionString(builder.Configuration, storage);

        // Storage and activator are services of this host, not only Hangfire's statics (JobStorage.Current,
        // JobActivator.Current), so that one host never enqueues into, or runs jobs with, another host's services
        // (several hosts run in one test process).
        builder.Services.AddSingleton<JobStorage>(_ =>
            jobs.Storage.Equals("InMemory", StringComparison.OrdinalIgnoreCase) ? (JobStorage)new InMemoryStorage()
            : storage.IsPostgres ? PostgresStorage(connectionString, jobs)
            : SqliteStorage(connectionString, jobs));
        builder.Services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddHangfire((services, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseTypeResolver(ResolveJobType)
            .UseRecommendedSerializerSettings()
            .UseStorage(services.GetRequiredService<JobStorage>())
            .UseLogProvider(new AspNetCoreLogProvider(
                new LoggerFactoryThatOutlivesItsHost(services.GetRequiredService<ILoggerFactory>()))));

        if (roles.Worker)
        {
            builder.Services.AddHangfireServer(o =>
            {
                o.WorkerCount = jobs.WorkerCount;
                o.Queues = Queues;
                o.SchedulePollingInterval = jobs.PollInterval;
            });
            // A batch keeps every SMTP connection of the process busy by itself; a second one running beside it fills
            // the gaps while the first claims or finishes its rows. More only make them queue for the same connections.
            var delivery = builder.Configuration.Read<DeliveryOptions>(DeliveryOptions.Section);
            builder.Services.AddHangfireServer(o =>
            {
                o.WorkerCount = delivery.ConcurrentBatches;
                o.Queues = [BatchQueue];
                // The server above already moves due scheduled jobs (of every queue) every PollInterval; this one's own
                // scheduler only repeats it, each time under a distributed lock (five statements on PostgreSQL).
                o.SchedulePollingInterval = TimeSpan.FromMinutes(1);
            });
        }
        return builder;
    }

    /// <summary>Job classes that moved since an earlier version stored jobs naming them (a campaign scheduled for next week).</summary>
    private static readonly Dictionary<string, Type> MovedJobTypes = new()
    {
        ["NewsletterService.Campaigns.CampaignStarter"] = typeof(CampaignStarter),
    };

    private static Type ResolveJobType(string name) =>
        MovedJobTypes.GetValueOrDefault(name.Split(',')[0].Trim()) ?? TypeHelper.DefaultTypeResolver(name);

    /// <summary>Jobs in the application's PostgreSQL database, schema <c>hangfire</c>; LISTEN/NOTIFY wakes idle workers at once.</summary>
    private static PostgreSqlStorage PostgresStorage(string connectionString, JobsOptions jobs)
    {
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            // Idle workers wait for NOTIFY (EnableLongPolling) and are woken by every enqueue; polling is only the
            // fallback, and each worker's poll is a query on a connection of its own.
            QueuePollInterval = jobs.PollInterval * 8,
            InvisibilityTimeout = TimeSpan.FromMinutes(5),
            UseSlidingInvisibilityTimeout = true,
            EnableLongPolling = true,
            PrepareSchemaIfNecessary = true,
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }

    /// <summary>Jobs in their own file beside the data, so Hangfire's polling never waits on the ledger's writes.</summary>
    private static WakingSQLiteStorage SqliteStorage(string connectionString, JobsOptions jobs) =>
        new(Path.Combine(DataRegistration.SqliteFolder(connectionString), "hangfire.db"), new SQLiteStorageOptions
        {
            QueuePollInterval = jobs.PollInterval,
            InvisibilityTimeout = TimeSpan.FromMinutes(5),
        });

    public static WebApplication MapJobsDashboard(this WebApplication app)
    {
        // Hangfire's /stats reads the metrics it is asked for from a posted form (its page posts them), and ASP.NET Core
        // throws on reading the form of a request without one, so a GET answered 500. A GET reads them from the query
        // instead (none asked: an empty object).
        app.UseWhen(http => http.Request.Path.Equals("/hangfire/stats") && !http.Request.HasFormContentType,
            stats => stats.Use((http, next) =>
            {
                http.Features.Set<IFormFeature>(
                    new FormFeature(new FormCollection(http.Request.Query.ToDictionary(q => q.Key, q => q.Value))));
                return next(http);
            }));
        app.MapHangfireDashboard("/hangfire",
                new DashboardOptions { Authorization = [], DisplayStorageConnectionString = false, AppPath = "/admin" })
            .RequireAuthorization(AdminSecurity.Policy).RequirePermission(Permission.Jobs);
        return app;
    }

    /// <summary>
    /// Hangfire's log provider is process-wide: when several hosts share a process (tests) and the one that set it
    /// has stopped, the others must not fail on its disposed logger factory.
    /// </summary>
    private sealed class LoggerFactoryThatOutlivesItsHost(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName)
        {
            try { return inner.CreateLogger(categoryName); }
            catch (ObjectDisposedException) { return Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance; }
        }

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() { }
    }
}
