using NewsletterService.Infrastructure;

namespace NewsletterService.Bounces;

public static class BouncesRegistration
{
    public static WebApplicationBuilder AddBounces(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<WebhooksOptions>(WebhooksOptions.Section);
        builder.Services.AddPerClientLimit<WebhooksOptions>(BounceWebhook.RateLimitPolicy, o => o.BouncePostsPerMinute);
        return builder;
    }
}
