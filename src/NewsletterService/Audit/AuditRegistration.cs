using Hangfire;
using NewsletterService.Infrastructure;

namespace NewsletterService.Audit;

public static class AuditRegistration
{
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<AuditOptions>(AuditOptions.Section);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddScoped<AuditPruning>();
        return builder;
    }

    /// <summary>Registers (or updates) the daily pruning job, at 03:00 UTC.</summary>
    public static WebApplication ScheduleAuditPruning(this WebApplication app)
    {
        app.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<AuditPruning>(AuditPruning.RecurringJobId, p => p.PruneAsync(CancellationToken.None), Cron.Daily(3));
        return app;
    }
}
