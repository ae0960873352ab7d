using NewsletterService.Infrastructure;

namespace NewsletterService.Subscriptions;

public static class SubscriptionsRegistration
{
    /// <summary>Rate-limit policies per client IP: subscribing (strict) and the token links' posts (generous: providers post one-clicks in bulk).</summary>
    public const string SubscribePolicy = "subscribe";
    public const string LinkPolicy = "subscription-links";

    public static WebApplicationBuilder AddSubscriptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<SubscriptionOptions>(SubscriptionOptions.Section);
        builder.Services.AddScoped<Subscribe>();
        builder.Services.AddScoped<ConfirmationMailJob>();
        builder.Services.AddScoped<ListCatalog>();
        builder.Services.AddAntiforgery();
        builder.Services.AddPerClientLimit<SubscriptionOptions>(SubscribePolicy, o => o.SubscribePerMinute);
        builder.Services.AddPerClientLimit<SubscriptionOptions>(LinkPolicy, o => o.LinkPostsPerMinute);
        return builder;
    }

    public static WebApplication UseSubscriptions(this WebApplication app)
    {
        app.UseAntiforgery();
        return app;
    }
}
