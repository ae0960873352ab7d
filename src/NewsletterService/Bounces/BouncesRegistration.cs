using Hangfire;
using Microsoft.Extensions.Options;
using NewsletterService.Infrastructure;

namespace NewsletterService.Bounces;

public static class BouncesRegistration
{
    public static WebApplicationBuilder AddBounces(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<WebhooksOptions>(WebhooksOptions.Section);
        builder.Services.AddValidatedOptions<BounceOptions>(BounceOptions.Section);
        builder.Services.AddValidatedOptions<MailboxesOptions>(MailboxesOptions.Section);
        builder.Services.AddPerClientLimit<WebhooksOptions>(BounceWebhook.RateLimitPolicy, o => o.BouncePostsPerMinute);
        builder.Services.AddScoped<BounceRecorder>();
        builder.Services.AddScoped<MailboxProcessor>();
        builder.Services.AddScoped<MailboxLease>();
        builder.Services.AddScoped<MailboxPoller>();
        return builder;
    }

    /// <summary>Registers (or removes, when no mailbox is configured) the recurring job that reads the mailboxes.</summary>
    public static WebApplication ScheduleMailboxPolling(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MailboxesOptions>>().Value;
        var jobs = app.Services.GetRequiredService<IRecurringJobManager>();
        if (options.Configured().Any())
            jobs.AddOrUpdate<MailboxPoller>(MailboxPoller.RecurringJobId, p => p.PollAllAsync(CancellationToken.None), options.Cron);
        else jobs.RemoveIfExists(MailboxPoller.RecurringJobId);
        return app;
    }
}
