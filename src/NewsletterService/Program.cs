using System.Text.Json.Serialization;
using NewsletterService.Accounts;
using NewsletterService.Articles;
using NewsletterService.Audit;
using NewsletterService.Bounces;
using NewsletterService.Campaigns;
using NewsletterService.Dashboard;
using NewsletterService.Data;
using NewsletterService.Delivery;
using NewsletterService.DevInbox;
using NewsletterService.Digests;
using NewsletterService.Feeds;
using NewsletterService.Infrastructure;
using NewsletterService.Rendering;
using NewsletterService.Reports;
using NewsletterService.Security;
using NewsletterService.Subscriptions;
using NewsletterService.Tracking;

if (args is [TemplateCompiler.Command, ..]) return await TemplateCompiler.RunAsync(args); // the child that compiles a template

// The slim host leaves out IIS, HTTP/3 and the hosting-startup and debug-logging plumbing a Linux service never uses
// (~3 MB of a sender's resident memory); HTTPS endpoints from configuration (Kestrel:Endpoints) still work.
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseKestrelHttpsConfiguration();

builder.AddNewsletterData();
builder.AddAdminSecurity();
builder.AddAccounts();
builder.AddAudit();
builder.AddNewsletterDelivery();
builder.AddCampaigns();
builder.AddBounces();
builder.AddTracking();
builder.AddJobs();
builder.AddDevInbox();
builder.AddSubscriptions();
builder.AddDashboard();
builder.AddFeeds();
builder.AddDigests();
builder.Services.AddHostedService<NativeMemoryTrim>();
builder.Services.AddHostedService<StartupWarmUp>();
builder.AddErrorPages();
builder.Services.AddRazorComponents(); // reader pages, error pages and the dev inbox are Razor components (RazorComponentResult)
builder.Services.ConfigureHttpJsonOptions(o =>
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));

var app = builder.Build();
if (!await app.PrepareDatabaseAsync(args)) return 0; // `migrate`: apply migrations and stop

app.UseSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAdminSecurity();
app.UseRateLimiter();
app.UseSubscriptions();
app.UseIdempotencyKeys();

app.ScheduleFeedPolling();
app.ScheduleDigests();
app.ScheduleMailboxPolling();
app.ScheduleAuditPruning();
app.MapHealth();
if (app.Configuration.Read<RolesOptions>(RolesOptions.Section).Web)
{
    var api = app.MapGroup("/api").RequireAuthorization(AdminSecurity.Policy);
    api.MapArticlesApi();
    api.MapSubscribersApi();
    api.MapListsApi();
    api.MapCampaignsApi();
    api.MapReportsApi();
    api.MapFeedsApi();
    app.MapBounceWebhook();
    app.MapTracking();
    api.MapDigestsApi();
    api.MapAuditApi();
    api.MapUsersApi();
    app.MapWebAssets();
    app.MapSubscriptions();
    app.MapArticlePages();
    app.MapDashboard();
    app.MapJobsDashboard();
    app.MapDevInbox();
}

app.Run();
return 0;

public partial class Program;
