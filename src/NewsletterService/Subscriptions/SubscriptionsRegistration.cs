using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
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
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(SubscribePolicy, http => PerClientIp(http, options => options.SubscribePerMinute));
            o.AddPolicy(LinkPolicy, http => PerClientIp(http, options => options.LinkPostsPerMinute));
        });
        return builder;
    }

    public static WebApplication UseSubscriptions(this WebApplication app)
    {
        app.UseRateLimiter();
        app.UseAntiforgery();
        return app;
    }

    private static RateLimitPartition<string> PerClientIp(HttpContext http, Func<SubscriptionOptions, int> permits) =>
        RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits(http.RequestServices.GetRequiredService<IOptions<SubscriptionOptions>>().Value),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
}
