using NewsletterService.Articles;
using NewsletterService.Delivery;

namespace NewsletterService.Campaigns;

public static class CampaignsRegistration
{
    /// <summary>Editors' campaign operations, and the article campaign kind (the dashboard's preview renders with it too).</summary>
    public static WebApplicationBuilder AddCampaigns(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<CampaignScheduler>();
        builder.Services.AddScoped<CampaignControl>();
        builder.Services.AddScoped<CampaignApproval>();
        builder.Services.AddScoped<ApprovalMails>();
        builder.Services.AddSingleton<ArticleCampaignKind>();
        builder.Services.AddSingleton<ICampaignKind>(sp => sp.GetRequiredService<ArticleCampaignKind>());
        return builder;
    }
}
