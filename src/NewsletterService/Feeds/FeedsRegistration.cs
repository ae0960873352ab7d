using Hangfire;
using Microsoft.Extensions.Options;
using NewsletterService.Infrastructure;

namespace NewsletterService.Feeds;

public static class FeedsRegistration
{
    public static WebApplicationBuilder AddFeeds(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<FeedOptions>(FeedOptions.Section);
        builder.Services.AddHttpClient(nameof(FeedPoller), c => c.DefaultRequestHeaders.UserAgent.ParseAdd("NewsletterService-FeedPoller/1.0"));
        builder.Services.AddScoped<FeedPoller>();
        builder.Services.AddScoped<FeedPublisher>();
        return builder;
    }

    /// <summary>Registers (or updates) the recurring job that polls every feed.</summary>
    public static WebApplication ScheduleFeedPolling(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<FeedOptions>>().Value;
        app.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<FeedPoller>(FeedPoller.RecurringJobId, p => p.PollAllAsync(CancellationToken.None), options.Cron);
        return app;
    }
}
