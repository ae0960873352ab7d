using Microsoft.AspNetCore.Http.Metadata;
using NewsletterService.Infrastructure;

namespace NewsletterService.Subscriptions;

public static class SubscriptionsRegistration
{
    /// <summary>
    /// Rate-limit policies per client IP: subscribing (strict) and the token links' posts (generous: providers post one-clicks in
    /// bulk).
    /// </summary>
    public const string SubscribePolicy = "subscribe";
    public const string LinkPolicy = "subscription-links";

    public static WebApplicationBuilder AddSubscriptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<SubscriptionOptions>(SubscriptionOptions.Section);
        builder.Services.AddScoped<Subscribe>();
        builder.Services.AddScoped<ConfirmationMailJob>();
        builder.Services.AddScoped<ListCatalog>();
        builder.Services.AddScoped<SubscriberImport>();
        builder.Services.AddAntiforgery();
        builder.Services.AddPerClientLimit<SubscriptionOptions>(SubscribePolicy, o => o.SubscribePerMinute);
        builder.Services.AddPerClientLimit<SubscriptionOptions>(LinkPolicy, o => o.LinkPostsPerMinute);
        return builder;
    }

    public static WebApplication UseSubscriptions(this WebApplication app)
    {
        app.Use(ReadFormWithinLimitAsync);
        app.UseAntiforgery();
        return app;
    }

    /// <summary>
    /// Reads a form posted to an endpoint with a body limit before antiforgery does, so that past the limit the answer is 413 as for JSON,
    /// not the 400 antiforgery makes of a form it could not read.
    /// </summary>
    private static async Task ReadFormWithinLimitAsync(HttpContext http, RequestDelegate next)
    {
        if (http.Request.HasFormContentType &&
            http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { MaxRequestBodySize: not null })
        {
            http.Request.EnableBuffering(); // kept for the endpoint: in memory up to 30 KB, past that in a temporary file
            try
            {
                await http.Request.Body.CopyToAsync(Stream.Null, http.RequestAborted);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                http.Response.StatusCode = e.StatusCode;
                return;
            }
            http.Request.Body.Position = 0;
        }
        await next(http);
    }
}
