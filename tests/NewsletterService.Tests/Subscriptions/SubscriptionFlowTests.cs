using System.Net;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Security;
using NewsletterService.Subscriptions;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Subscriptions;

public abstract class SubscriptionFlowTests(Database database)
{
    [SkippableFact]
    public async Task Reader_ReceivesCampaignsAfterConfirming_AndNothingAfterOneClickUnsubscribe()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var admin = app.Admin();
        var article = (await admin.ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>();

        var subscribed = await app.Anonymous().SubscribeAsync("Mira.Holm@Example.TEST", "Mira");
        Assert.Equal(HttpStatusCode.Accepted, subscribed.StatusCode);
        var confirmation = (await app.WaitForMailsToAsync("mira.holm@example.test", 1)).Single();
        Assert.Equal("Please confirm your subscription to Harbour Post", confirmation.Subject);
        Assert.Null(confirmation.Headers["List-Unsubscribe"]);
        Assert.Equal(SubscriberStatus.Pending, (await app.SubscriberAsync("mira.holm@example.test")).Status);

        var confirmed = await app.Anonymous().GetAsync(SubscriptionSteps.ConfirmPath(confirmation));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("You are subscribed", await confirmed.Content.ReadAsStringAsync());
        Assert.Equal(SubscriberStatus.Confirmed, (await app.SubscriberAsync("mira.holm@example.test")).Status);

        await admin.WaitForCampaignAsync(await admin.StartCampaignAsync(article));
        var campaignMail = (await app.WaitForMailsToAsync("mira.holm@example.test", 2))[1];
        Assert.Equal(SampleTexts.Title, campaignMail.Subject);
        Assert.Contains("Hello Mira,", campaignMail.TextBody);

        // RFC 8058: the mailbox provider posts this body to the List-Unsubscribe URL, without cookies or tokens.
        var oneClick = await app.Anonymous().PostAsync(SubscriptionSteps.UnsubscribePath(campaignMail),
            new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        Assert.Equal(SubscriberStatus.Unsubscribed, (await app.SubscriberAsync("mira.holm@example.test")).Status);

        var next = await admin.WaitForCampaignAsync(await admin.StartCampaignAsync(article));
        Assert.Equal(0, next["total"]!.GetValue<int>());
        Assert.Equal(2, app.Smtp.To("mira.holm@example.test").Count);
    }

    [SkippableFact]
    public async Task PendingSubscriber_ReceivesNoCampaign()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var admin = app.Admin();
        var article = (await admin.ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>();
        await app.Anonymous().SubscribeAsync("pending@example.test");
        await app.WaitForMailsToAsync("pending@example.test", 1);

        var campaign = await admin.WaitForCampaignAsync(await admin.StartCampaignAsync(article));

        Assert.Equal(0, campaign["total"]!.GetValue<int>());
        Assert.Single(app.Smtp.To("pending@example.test"));
    }

    [SkippableFact]
    public async Task Subscribe_SendsAtMostOneConfirmationPerAddressIn15Minutes()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var reader = app.Anonymous();
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Accepted, (await reader.SubscribeAsync("once@example.test")).StatusCode);
        await app.WaitForMailsToAsync("once@example.test", 1);
        await Task.Delay(1500);
        Assert.Single(app.Smtp.To("once@example.test"));

        await app.WithDbAsync(db =>
            db.Subscribers.ExecuteUpdateAsync(s => s.SetProperty(x => x.ConfirmationRequestedAt, DateTime.UtcNow.AddMinutes(-16))));
        await reader.SubscribeAsync("once@example.test");

        await app.WaitForMailsToAsync("once@example.test", 2);
    }

    [SkippableFact]
    public async Task UnsubscribedReader_MustConfirmAgain_ToComeBack()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        await app.ConfirmedSubscriberAsync("back@example.test");
        var id = (await app.SubscriberAsync("back@example.test")).Id;
        await app.Anonymous().PostAsync($"/unsubscribe/{app.Token(TokenPurpose.Unsubscribe, id)}", null);

        Assert.Equal(HttpStatusCode.Accepted, (await app.Anonymous().SubscribeAsync("back@example.test")).StatusCode);

        Assert.Equal(SubscriberStatus.Pending, (await app.SubscriberAsync("back@example.test")).Status);
        var again = (await app.WaitForMailsToAsync("back@example.test", 2))[1];
        await app.Anonymous().GetAsync(SubscriptionSteps.ConfirmPath(again));
        Assert.Equal(SubscriberStatus.Confirmed, (await app.SubscriberAsync("back@example.test")).Status);
    }

    [SkippableFact]
    public async Task UnsubscribeLink_ShowsAButtonOnGet_WithoutUnsubscribing()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        await app.Admin().ImportSubscribersAsync("email\nscanned@example.test\n");
        var id = (await app.SubscriberAsync("scanned@example.test")).Id;
        var path = $"/unsubscribe/{app.Token(TokenPurpose.Unsubscribe, id)}";

        var page = await app.Anonymous().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains($"<form method=\"post\" action=\"{path}\">", html);
        Assert.Contains("<button type=\"submit\">Unsubscribe</button>", html);
        Assert.Equal(SubscriberStatus.Confirmed, (await app.SubscriberAsync("scanned@example.test")).Status);
    }
}

public sealed class SubscriptionFlowOnSqlite() : SubscriptionFlowTests(Database.Sqlite);

public sealed class SubscriptionFlowOnPostgres() : SubscriptionFlowTests(Database.Postgres);
