using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NewsletterService.Tests.Infrastructure;
using ServerResponse = SmtpServer.Protocol.SmtpResponse;
using SmtpReplyCode = SmtpServer.Protocol.SmtpReplyCode;

namespace NewsletterService.Tests.Reports;

/// <summary>The campaign report over real HTTP, with real mails: what the SMTP server rejected, who left through the mail.</summary>
public abstract class CampaignReportTests(Database database)
{
    [SkippableFact]
    public async Task Report_CountsSentAndFailed_AndARejectedRecipientAsBounced()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        app.Smtp.OnRecipient = to => to == "reader1@example.test"
            ? new ServerResponse(SmtpReplyCode.MailboxUnavailable, "5.1.1 No such user") : null;
        var (admin, campaign) = await SendCampaignAsync(app, readers: 4);

        var report = await ReportAsync(admin, campaign);

        Assert.Equal((3, 1, 1, 0, 0), (Int(report, "sent"), Int(report, "failed"), Int(report, "bounced"), Int(report, "complaints"),
            Int(report, "unsubscribed")));
        var bounce = Assert.Single(await app.WithDbAsync(db => Task.FromResult(db.BounceEvents.ToList())));
        Assert.Equal(("reader1@example.test", "5.1.1", campaign), (bounce.Email, bounce.Status, bounce.CampaignId));
    }

    [SkippableFact]
    public async Task UnsubscribesThroughTheMailsLinkAndOneClickPost_CountOncePerReaderInItsReport()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var (admin, campaign) = await SendCampaignAsync(app, readers: 3);
        var link = SubscriptionSteps.UnsubscribePath((await app.WaitForMailsToAsync("reader0@example.test", 1))[0]);
        var oneClick = SubscriptionSteps.UnsubscribePath((await app.WaitForMailsToAsync("reader1@example.test", 1))[0]);

        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().PostAsync(link, null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().PostAsync(link, null)).StatusCode); // twice: still one reader
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().PostAsync(oneClick,
            new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]))).StatusCode);

        Assert.Equal(2, Int(await ReportAsync(admin, campaign), "unsubscribed"));
    }

    [SkippableFact]
    public async Task AnOlderUnsubscribeToken_WithoutACampaign_StillUnsubscribes_AndCountsInNoReport()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var (admin, campaign) = await SendCampaignAsync(app, readers: 1);
        var reader = await app.SubscriberAsync("reader0@example.test");

        var response = await app.Anonymous().PostAsync($"/unsubscribe/{app.Token(NewsletterService.Security.TokenPurpose.Unsubscribe,
            reader.Id)}", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(NewsletterService.Subscriptions.SubscriberStatus.Unsubscribed, (await app.SubscriberAsync(reader.Email)).Status);
        Assert.Equal(0, Int(await ReportAsync(admin, campaign), "unsubscribed"));
    }

    [SkippableFact]
    public async Task ReportOfAnUnknownCampaign_Is404_AndTheReportPageShowsTheFigures()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var (admin, campaign) = await SendCampaignAsync(app, readers: 2);

        await (await admin.GetAsync("/api/campaigns/999/report")).AssertProblemAsync(HttpStatusCode.NotFound);
        var editor = app.Anonymous();
        await (await editor.LoginAsync()).ReadRedirectAsync("/admin");
        var page = await editor.GetStringAsync($"/admin/campaigns/report/{campaign}");
        Assert.Matches("data-field=\"sent\">2<", page);
    }

    public static async Task<(HttpClient Admin, long Campaign)> SendCampaignAsync(NewsletterApp app, int readers, object? tracking = null)
    {
        var admin = app.Admin();
        var article = (await admin.ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>();
        await admin.ImportSubscribersAsync(Api.Csv(readers));
        var response = await admin.PostAsJsonAsync("/api/campaigns", new { articleId = article, tracking });
        var campaign = (await response.ReadJsonAsync(HttpStatusCode.Created))["id"]!.GetValue<long>();
        await admin.WaitForCampaignAsync(campaign);
        return (admin, campaign);
    }

    public static async Task<JsonNode> ReportAsync(HttpClient admin, long campaign) =>
        await (await admin.GetAsync($"/api/campaigns/{campaign}/report")).ReadJsonAsync(HttpStatusCode.OK);

    public static int Int(JsonNode node, string path) =>
        path.Split('.').Aggregate(node, (n, key) => n[key]!).GetValue<int>();
}

public sealed class CampaignReportOnSqlite() : CampaignReportTests(Database.Sqlite);

public sealed class CampaignReportOnPostgres() : CampaignReportTests(Database.Postgres);
