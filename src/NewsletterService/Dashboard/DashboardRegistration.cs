using Microsoft.AspNetCore.Mvc.ApplicationModels;
using NewsletterService.Articles;
using NewsletterService.Campaigns;
using NewsletterService.Infrastructure;
using NewsletterService.Security;

namespace NewsletterService.Dashboard;

/// <summary>The editors' web dashboard under <c>/admin</c>: Razor Pages in <c>Dashboard/Pages</c>, behind the login cookie.</summary>
public static class DashboardRegistration
{
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Dashboard/Pages";
            o.Conventions.AddFolderRouteModelConvention("/", UnderAdmin);
            o.Conventions.AuthorizeFolder("/", AdminSecurity.Policy);
            o.Conventions.AllowAnonymousToPage("/Login");
            o.Conventions.AllowAnonymousToFolder("/Password"); // forgot password, and the pages mailed links open
            o.Conventions.AllowAnonymousToPage("/Login/Code"); // the second step: Identity's two-factor cookie names the account
        }).AddMvcOptions(o =>
        {
            o.Filters.Add<PermissionAuthorization.HandlerFilter>();
            o.Filters.Add<FormSubmissions>();
        });
        builder.Services.Configure<RouteOptions>(o => o.LowercaseUrls = true);
        builder.Services.AddExceptionHandler<DashboardErrors>();
        builder.Services.AddSingleton<SmtpConnectionTest>();
        return builder;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.MapRazorPages();
        var admin = app.MapGroup("/admin").RequireAuthorization(AdminSecurity.Policy);
        admin.MapGet("/articles/{id:long}/email", ArticlesApi.PreviewAsync).ShownInOwnFrame() // the preview page's sandboxed iframe
            .RequirePermission(Permission.Read);
        admin.MapGet("/campaigns/{id:long}/progress", CampaignsApi.GetAsync).RequirePermission(Permission.Read);
        admin.MapGet("/campaigns/{id:long}/activity.csv", Reports.ActivityExport.WriteAsync).RequirePermission(Permission.Export);
        admin.MapGet("/subscribers/export", SubscriberExport.WriteAsync).RequirePermission(Permission.Export);
        return app;
    }

    private static void UnderAdmin(PageRouteModel page)
    {
        foreach (var selector in page.Selectors)
            selector.AttributeRouteModel!.Template = AttributeRouteModel.CombineTemplates("admin", selector.AttributeRouteModel.Template);
    }
}
