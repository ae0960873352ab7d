using System.Text.Json.Serialization;
using NewsletterService.Articles;
using NewsletterService.Bounces;
using NewsletterService.Campaigns;
using NewsletterService.Data;
using NewsletterService.Delivery;
using NewsletterService.DevInbox;
using NewsletterService.Infrastructure;
using NewsletterService.Security;
using NewsletterService.Subscriptions;

var builder = WebApplication.CreateBuilder(args);

builder.AddNewsletterData();
builder.AddAdminSecurity();
builder.AddNewsletterDelivery();
builder.AddBounces();
builder.AddJobs();
builder.AddDevInbox();
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));

var app = builder.Build();
await app.PrepareDatabaseAsync();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAdminSecurity();

app.MapHealth();
var api = app.MapGroup("/api").RequireAuthorization(AdminSecurity.Policy);
api.MapArticlesApi();
api.MapSubscribersApi();
api.MapCampaignsApi();
app.MapBounceWebhook();
app.MapJobsDashboard();
app.MapDevInbox();

app.Run();

public partial class Program;
