using System.Net;
using System.Net.Http.Json;
using NewsletterService.Tests.Infrastructure;
using ServerResponse = SmtpServer.Protocol.SmtpResponse;
using SmtpReplyCode = SmtpServer.Protocol.SmtpReplyCode;

namespace NewsletterService.Tests.Bounces;

public sealed class BounceTests
{
    private const string Secret = "bounce-secret-0123456789abcdef0123456789";
    private static readonly Dictionary<string, string?> WithSecret = new() { ["Webhooks:BounceSecret"] = Secret };

    [Fact]
    public async Task HardBounceOnRcpt_FailsTheDelivery_AndTheReaderIsLeftOutOfTheNextCampaign()
    {
        await using var app = await NewsletterApp.StartAsync();
        app.Smtp.OnRecipient = to => to == "reader3@example.test" ? new ServerResponse(SmtpReplyCode.MailboxUnavailable, "5.1.1 No such user") : null;
        var admin = app.Admin();
        var article = (await admin.ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>();
        await admin.ImportSubscribersAsync(Api.Csv(10));
        var first = await admin.WaitForCampaignAsync(await admin.StartCampaignAsync(article));
        Assert.Equal(1, first["failed"]!.GetValue<int>());
        var error = await app.WithDbAsync(db => Task.FromResult(db.Deliveries.Single(d => d.Status == NewsletterService.Delivery.DeliveryStatus.Failed).Error));
        Assert.Contains("5.1.1 No such user", error);

        app.Smtp.OnRecipient = null;
        var second = await admin.WaitForCampaignAsync(await admin.StartCampaignAsync(article));

        Assert.Equal(9, second["total"]!.GetValue<int>());
        Assert.Empty(app.Smtp.To("reader3@example.test"));
    }

    [Fact]
    public async Task SoftBounces_AreRetriedUpToTheLimit_ThenTheDeliveryFails()
    {
        await using var app = await NewsletterApp.StartAsync(settings: new Dictionary<string, string?> { ["Delivery:MaxAttempts"] = "3" });
        var tries = 0;
        app.Smtp.OnRecipient = to =>
        {
            if (to != "reader2@example.test") return null;
            Interlocked.Increment(ref tries);
            return new ServerResponse(SmtpReplyCode.InsufficientStorage, "4.2.2 Mailbox full, try later");
        };
        var admin = app.Admin();
        var article = await admin.ImportArticleAsync(SampleTexts.Article);
        await admin.ImportSubscribersAsync(Api.Csv(5));

        var campaign = await admin.WaitForCampaignAsync(await admin.StartCampaignAsync(article["id"]!.GetValue<long>()));

        Assert.Equal(3, tries);
        Assert.Equal(4, campaign["sent"]!.GetValue<int>());
        Assert.Equal(1, campaign["failed"]!.GetValue<int>());
        var subscribers = await (await admin.GetAsync("/api/subscribers?status=confirmed")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(5, subscribers["items"]!.AsArray().Count); // a soft bounce never marks the reader bounced
    }

    [Fact]
    public async Task Webhook_ComplaintUnsubscribesAtOnce_HardBounceMarksBounced_BothLeftOutOfTheNextCampaign()
    {
        await using var app = await NewsletterApp.StartAsync(settings: WithSecret);
        var admin = app.Admin();
        var article = await admin.ImportArticleAsync(SampleTexts.Article);
        await admin.ImportSubscribersAsync(Api.Csv(5));
        var hook = app.Anonymous();
        hook.DefaultRequestHeaders.Add("X-Webhook-Secret", Secret);

        var complaint = await (await hook.PostAsJsonAsync("/api/webhooks/bounces", new { email = "Reader1@Example.test", type = "complaint", reason = "abuse report" }))
            .ReadJsonAsync(HttpStatusCode.OK);
        var hard = await (await hook.PostAsJsonAsync("/api/webhooks/bounces", new { email = "reader2@example.test", type = "hard", reason = "550 gone" }))
            .ReadJsonAsync(HttpStatusCode.OK);
        var soft = await (await hook.PostAsJsonAsync("/api/webhooks/bounces", new { email = "reader3@example.test", type = "soft", reason = "mailbox full" }))
            .ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("unsubscribed", complaint["status"]!.GetValue<string>());
        Assert.Equal("bounced", hard["status"]!.GetValue<string>());
        Assert.Equal("confirmed", soft["status"]!.GetValue<string>());
        var campaign = await admin.WaitForCampaignAsync(await admin.StartCampaignAsync(article["id"]!.GetValue<long>()));
        Assert.Equal(3, campaign["total"]!.GetValue<int>());
        Assert.Empty(app.Smtp.To("reader1@example.test"));
        Assert.Empty(app.Smtp.To("reader2@example.test"));
    }

    [Fact]
    public async Task Webhook_RefusesAWrongOrMissingSecret_AndAnUnknownType()
    {
        await using var app = await NewsletterApp.StartAsync(settings: WithSecret);
        await app.Admin().ImportSubscribersAsync(Api.Csv(1));
        var report = new { email = "reader0@example.test", type = "complaint", reason = "x" };

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync("/api/webhooks/bounces", report)).StatusCode);
        var wrong = app.Anonymous();
        wrong.DefaultRequestHeaders.Add("X-Webhook-Secret", "not-the-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.PostAsJsonAsync("/api/webhooks/bounces", report)).StatusCode);
        var right = app.Anonymous();
        right.DefaultRequestHeaders.Add("X-Webhook-Secret", Secret);
        await (await right.PostAsJsonAsync("/api/webhooks/bounces", new { email = "reader0@example.test", type = "angry" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "type");
        var subscribers = await (await app.Admin().GetAsync("/api/subscribers?status=confirmed")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Single(subscribers["items"]!.AsArray());
    }
}
