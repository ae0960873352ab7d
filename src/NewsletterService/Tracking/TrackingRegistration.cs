using NewsletterService.Infrastructure;

namespace NewsletterService.Tracking;

public static class TrackingRegistration
{
    public static WebApplicationBuilder AddTracking(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<TrackingOptions>(TrackingOptions.Section);
        return builder;
    }
}
