using Hangfire;
using Hangfire.InMemory;
using Hangfire.Storage.SQLite;
using NewsletterService.Data;
using NewsletterService.Security;

namespace NewsletterService.Infrastructure;

public static class JobsRegistration
{
    /// <summary>Queues in the order workers serve them: confirmations before campaign starts before batches.</summary>
    public static readonly string[] Queues = ["critical", "default", "batches"];

    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        var jobs = builder.Configuration.Read<JobsOptions>(JobsOptions.Section);
        var roles = builder.Configuration.Read<RolesOptions>(RolesOptions.Section);
        builder.Services.AddValidatedOptions<JobsOptions>(JobsOptions.Section);
        builder.Services.AddValidatedOptions<RolesOptions>(RolesOptions.Section);

        var connectionString = builder.Configuration.GetConnectionString(DataRegistration.ConnectionName) is { Length: > 0 } cs ? cs : DataRegistration.DefaultSqlite;
        // The storage is a service of this host, not only Hangfire's static JobStorage.Current, so that clients,
        // servers and the dashboard of one host never reach another host's jobs (several hosts run in one test process).
        builder.Services.AddSingleton<JobStorage>(_ => jobs.Storage.Equals("InMemory", StringComparison.OrdinalIgnoreCase)
            ? new InMemoryStorage()
            // Jobs live in their own file beside the data, so Hangfire's polling never waits on the ledger's writes.
            : new SQLiteStorage(Path.Combine(DataRegistration.SqliteFolder(connectionString), "hangfire.db"), new SQLiteStorageOptions
            {
                QueuePollInterval = jobs.PollInterval,
                InvisibilityTimeout = TimeSpan.FromMinutes(5),
            }));
        builder.Services.AddHangfire((services, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(services.GetRequiredService<JobStorage>()));

        if (roles.Worker)
            builder.Services.AddHangfireServer(o =>
            {
                o.WorkerCount = jobs.WorkerCount;
                o.Queues = Queues;
                o.SchedulePollingInterval = jobs.PollInterval;
            });
        return builder;
    }

    public static WebApplication MapJobsDashboard(this WebApplication app)
    {
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [], DisplayStorageConnectionString = false, AppPath = "/admin" })
            .RequireAuthorization(AdminSecurity.Policy);
        return app;
    }
}
