using NewsletterService.Campaigns;
using NewsletterService.Infrastructure;
using NewsletterService.Rendering;
using NewsletterService.Subscriptions;

namespace NewsletterService.Delivery;

public static class DeliveryRegistration
{
    public static WebApplicationBuilder AddNewsletterDelivery(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<NewsletterOptions>(NewsletterOptions.Section);
        services.AddValidatedOptions<SmtpOptions>(SmtpOptions.Section);
        services.AddValidatedOptions<DeliveryOptions>(DeliveryOptions.Section);
        services.AddValidatedOptions<TemplateOptions>(TemplateOptions.Section);
        services.AddSingleton(TimeProvider.System);
        services.AddMemoryCache();

        services.AddSingleton<IEmailRenderer, RazorEmailRenderer>();
        services.AddSingleton<EmailComposer>();
        services.AddSingleton<CampaignContentCache>();
        services.AddSingleton<IMailSender, SmtpMailSender>();
        services.AddSingleton<MessageFactory>();
        services.AddScoped<CampaignStarter>();
        services.AddScoped<CampaignBatchJob>();
        services.AddScoped<CampaignControl>();
        services.AddScoped<CampaignScheduler>();
        services.AddScoped<SubscriberImport>();
        return builder;
    }
}
