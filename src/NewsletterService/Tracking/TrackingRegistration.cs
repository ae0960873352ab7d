using NewsletterService.Infrastructure;

namespace NewsletterService.Tracking;

public static class TrackingRegistration
{
    public static WebApplicationBuilder AddTracking(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<TrackingOptions>(TrackingOptions.Section);
        builder.Services.AddSingleton<LinkRegistry>();
        builder.Services.AddSingleton<MailTracking>();
        builder.Services.AddSingleton<TrackingBuffer>();
        builder.Services.AddHostedService<TrackingWriter>();
        builder.Services.AddSingleton<TrackingEndpoints.Limiter>();
        return builder;
    }
}
