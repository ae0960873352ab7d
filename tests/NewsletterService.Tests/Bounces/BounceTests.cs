using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Bounces;
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
        app.Smtp.OnRecipient = to => to == "reader3@example.test"
            ? new ServerResponse(SmtpReplyCode.MailboxUnavailable, "5.1.1 No such user") : null;
        var admin = app.Admin();
        var article = (await admin.ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>();
        await admin.ImportSubscribersAsync(Api.Csv(10));
        var first = await admin.WaitForCampaignAsync(await admin.StartCampaignAsync(article));
        Assert.Equal(1, first["failed"]!.GetValue<int>());
        var error = await app.WithDbAsync(db =>
            Task.FromResult(db.Deliveries.Single(d => d.Status == NewsletterService.Delivery.DeliveryStatus.Failed).Error));
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

        var complaint = await (await hook.PostAsJsonAsync("/api/webhooks/bounces",
            new { email = "Reader1@Example.test", type = "complaint", reason = "abuse report" }))
            .ReadJsonAsync(HttpStatusCode.OK);
        var hard = await (await hook.PostAsJsonAsync("/api/webhooks/bounces",
            new { email = "reader2@example.test", type = "hard", reason = "550 gone" }))
            .ReadJsonAsync(HttpStatusCode.OK);
        var soft = await (await hook.PostAsJsonAsync("/api/webhooks/bounces",
            new { email = "reader3@example.test", type = "soft", reason = "mailbox full" }))
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
    public async Task Webhook_KeepsEachReport_WithItsKindReasonAndReader_ForTheBouncesPage()
    {
        await using var app = await NewsletterApp.StartAsync(settings: WithSecret);
        await app.Admin().ImportSubscribersAsync(Api.Csv(1));
        var hook = app.Anonymous();
        hook.DefaultRequestHeaders.Add("X-Webhook-Secret", Secret);

        await (await hook.PostAsJsonAsync("/api/webhooks/bounces", new { email = "Reader0@example.test", type = "soft", reason = "452 full" }))
            .ReadJsonAsync(HttpStatusCode.OK);
        await (await hook.PostAsJsonAsync("/api/webhooks/bounces", new { email = "stranger@example.test", type = "complaint" }))
            .ReadJsonAsync(HttpStatusCode.OK);

        var events = await app.WithDbAsync(db => db.BounceEvents.OrderBy(e => e.Id).ToListAsync());
        var reader = await app.WithDbAsync(db => db.Subscribers.SingleAsync(s => s.EmailKey == "reader0@example.test"));
        Assert.Collection(events,
            e => Assert.Equal((BounceKind.Soft, BounceSource.Webhook, "452 full", reader.Id, "reader0@example.test"),
                (e.Kind, e.Source, e.Diagnostic, e.SubscriberId, e.Email)),
            e => Assert.Equal((BounceKind.Complaint, (long?)null, "stranger@example.test"), (e.Kind, e.SubscriberId, e.Email)));
    }

    [Fact]
    public async Task Webhook_OnlyChangesSubscribedReaders_AComplaintLeavesABouncedReaderBounced_AndABounceLeavesAnUnsubscribedOneUnsubscribed()
    {
        await using var app = await NewsletterApp.StartAsync(settings: WithSecret);
        await app.Admin().ImportSubscribersAsync(Api.Csv(2));
        var hook = app.Anonymous();
        hook.DefaultRequestHeaders.Add("X-Webhook-Secret", Secret);
        async Task<string> ReportAsync(string email, string type) =>
            (await (await hook.PostAsJsonAsync("/api/webhooks/bounces", new { email, type, reason = "x" }))
                .ReadJsonAsync(HttpStatusCode.OK))["status"]!.GetValue<string>();

        Assert.Equal("bounced", await ReportAsync("reader0@example.test", "hard"));
        Assert.Equal("bounced", await ReportAsync("reader0@example.test", "complaint"));
        Assert.Equal("unsubscribed", await ReportAsync("reader1@example.test", "complaint"));
        Assert.Equal("unsubscribed", await ReportAsync("reader1@example.test", "hard"));
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

    [Fact]
    public async Task Webhook_Answers429WithRetryAfter_PastTheLimitForOneAddress_AndLogsWrongSecretsWithoutTheBody()
    {
        await using var app = await NewsletterApp.StartAsync(
            settings: new Dictionary<string, string?>(WithSecret) { ["Webhooks:BouncePostsPerMinute"] = "3" });
        await app.Admin().ImportSubscribersAsync(Api.Csv(1));
        async Task<HttpResponse> PostFrom(string address, string secret) => (await app.Server.SendAsync(http =>
        {
            http.Connection.RemoteIpAddress = IPAddress.Parse(address);
            http.Request.Method = "POST";
            http.Request.Path = "/api/webhooks/bounces";
            http.Request.Headers["X-Webhook-Secret"] = secret;
            http.Request.ContentType = "application/json";
            var body = """{"email":"reader0@example.test","type":"soft","reason":"guess-body-text"}"""u8.ToArray();
            http.Request.Body = new MemoryStream(body);
            http.Request.ContentLength = body.Length;
            http.Features.Set<IHttpRequestBodyDetectionFeature>(new WithBody());
        })).Response;

        for (var i = 0; i < 3; i++) Assert.Equal(401, (await PostFrom("203.0.113.7", $"guess-{i}")).StatusCode);
        var limited = await PostFrom("203.0.113.7", Secret);
        var other = await PostFrom("198.51.100.2", Secret);

        Assert.Equal(429, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.RetryAfter.ToString()) is > 0 and <= 60);
        Assert.Equal(200, other.StatusCode);
        var warnings = app.Log.Entries.Where(e => e.Contains("Bounce webhook: refused")).ToList();
        Assert.Equal(3, warnings.Count);
        Assert.All(warnings, w => Assert.StartsWith("Warning", w));
        Assert.All(warnings, w => Assert.Contains("203.0.113.7", w));
        Assert.DoesNotContain(app.Log.Entries, e => e.Contains("guess-"));
    }

    [Fact]
    public async Task Webhook_LogsARefusedPost_UnderItsOwnCategory()
    {
        await using var app = await NewsletterApp.StartAsync(settings: WithSecret);
        var wrong = app.Anonymous();
        wrong.DefaultRequestHeaders.Add("X-Webhook-Secret", "not-the-secret");

        await wrong.PostAsJsonAsync("/api/webhooks/bounces", new { email = "reader0@example.test", type = "hard" });

        var warning = Assert.Single(app.Log.Entries, e => e.Contains("Bounce webhook: refused"));
        Assert.StartsWith("Warning NewsletterService.Bounces.BounceWebhook: ", warning);
    }

    /// <summary>A request built on the test server directly (to set its client address) says it has a body.</summary>
    private sealed class WithBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }
}
