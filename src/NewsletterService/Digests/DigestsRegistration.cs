using Hangfire;
using Microsoft.Extensions.Options;
using NewsletterService.Delivery;
using NewsletterService.Infrastructure;
using NewsletterService.Subscriptions;

namespace NewsletterService.Digests;

public static class DigestsRegistration
{
    public static WebApplicationBuilder AddDigests(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<DigestOptions>(DigestOptions.Section);
        builder.Services.AddScoped<DigestRunner>();
        builder.Services.AddSingleton<ICampaignKind, DigestCampaignKind>();
        return builder;
    }

    /// <summary>Registers (or updates) the daily and weekly recurring jobs, with stable ids, in the configured time zone.</summary>
    public static WebApplication ScheduleDigests(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<DigestOptions>>().Value;
        var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
        foreach (var cadence in new[] { Cadence.Daily, Cadence.Weekly })
            recurring.AddOrUpdate<DigestRunner>(DigestRunner.RecurringJobId(cadence), r => r.RunAsync(cadence, CancellationToken.None),
                options.CronFor(cadence), new RecurringJobOptions { TimeZone = options.Zone });
        return app;
    }
}
