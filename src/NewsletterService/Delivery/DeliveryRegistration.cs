using NewsletterService.Infrastructure;
using NewsletterService.Rendering;

namespace NewsletterService.Delivery;

public static class DeliveryRegistration
{
    public static WebApplicationBuilder AddNewsletterDelivery(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<NewsletterOptions>(NewsletterOptions.Section);
        services.AddValidatedOptions<SmtpOptions>(SmtpOptions.Section)
            .Validate(o => o.ServersAreValid(),
                "Every Smtp:Servers entry needs a Host, a Port in 1..65535, MaxConnections in 1..64 and MessagesPerSecond >= 0.")
            .Validate(o => o.WindowIsValid(),
                "Smtp:WindowDuration must be between 00:00:01 and 1.00:00:00 when Smtp:WindowMessages is set.");
        services.AddValidatedOptions<DkimOptions>(DkimOptions.Section)
            .Validate(o => !o.Enabled || File.Exists(o.PrivateKeyPath), "Dkim:PrivateKeyPath names no file.");
        services.AddValidatedOptions<DeliveryOptions>(DeliveryOptions.Section);
        services.AddValidatedOptions<TemplateOptions>(TemplateOptions.Section);
        services.AddValidatedOptions<BrandingOptions>(BrandingOptions.Section);
        services.AddSingleton(TimeProvider.System);
        services.AddMemoryCache();

        services.AddSingleton<IEmailRenderer, RazorEmailRenderer>();
        services.AddSingleton<EmailComposer>();
        services.AddSingleton<ReaderSender>();
        services.AddSingleton<LedgerWriter>();
        services.AddSingleton<SendRateStore>();
        services.AddSingleton<SendThrottles>();
        services.AddSingleton<IMailSender, SmtpMailSender>();
        services.AddSingleton<SendSlots>();
        services.AddSingleton<MessageFactory>();
        services.AddSingleton<MessageSigner>();
        if (builder.Configuration.Read<RolesOptions>(RolesOptions.Section).Worker) services.AddHostedService<DeliveryWatchdog>();
        services.AddScoped<CampaignStarter>();
        services.AddScoped<CampaignBatchJob>();
        return builder;
    }
}
