using System.Net;
using MimeKit;
using NewsletterService.Tests.Infrastructure;
using ServerResponse = SmtpServer.Protocol.SmtpResponse;
using SmtpReplyCode = SmtpServer.Protocol.SmtpReplyCode;

namespace NewsletterService.Tests.Delivery;

public abstract class CampaignDeliveryTests(Database database)
{
    [SkippableFact]
    public async Task Campaign_DeliversExactlyOnePersonalisedMessageToEverySubscriber()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var admin = app.Admin();
        var article = await admin.ImportArticleAsync(SampleTexts.Article);
        await admin.ImportSubscribersAsync(Api.Csv(120) + "nameless@example.test,\n");

        var id = await admin.StartCampaignAsync(article["id"]!.GetValue<long>());
        var campaign = await admin.WaitForCampaignAsync(id);

        Assert.Equal("sent", campaign["status"]!.GetValue<string>());
        Assert.Equal(121, campaign["total"]!.GetValue<int>());
        Assert.Equal(121, campaign["sent"]!.GetValue<int>());
        Assert.Equal(0, campaign["pending"]!.GetValue<int>());
        var perRecipient = app.Smtp.Messages.GroupBy(m => m.To.Mailboxes.Single().Address).ToList();
        Assert.Equal(121, perRecipient.Count);
        Assert.All(perRecipient, g => Assert.Single(g));

        var mail = app.Smtp.To("reader7@example.test").Single();
        Assert.Equal(SampleTexts.Title, mail.Subject);
        Assert.Equal("Reader 7", mail.To.Mailboxes.Single().Name);
        Assert.Contains("Hello Reader 7,", mail.HtmlBody);
        Assert.Contains("Hello Reader 7,", mail.TextBody);
        Assert.Contains("“Nobody should lose a stall because of the weather,”", mail.TextBody);
        Assert.Contains("[sic]", mail.HtmlBody);
        Assert.Contains(SampleTexts.Credit, mail.HtmlBody);
        Assert.DoesNotContain("show image", mail.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Hello,", app.Smtp.To("nameless@example.test").Single().TextBody);
    }

    [SkippableFact]
    public async Task CampaignMail_CarriesTheHeadersBulkSendersNeed()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var admin = app.Admin();
        var article = await admin.ImportArticleAsync(SampleTexts.Article);
        await admin.ImportSubscribersAsync(Api.Csv(2));

        await admin.WaitForCampaignAsync(await admin.StartCampaignAsync(article["id"]!.GetValue<long>()));

        var mails = app.Smtp.Messages.ToList();
        Assert.Equal(2, mails.Count);
        foreach (var mail in mails)
        {
            Assert.False(string.IsNullOrEmpty(mail.MessageId));
            Assert.NotEqual(default, mail.Date);
            Assert.Equal("news@example.test", mail.From.Mailboxes.Single().Address);
            Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
            var unsubscribe = mail.Headers["List-Unsubscribe"];
            Assert.Matches($"<{NewsletterApp.BaseUrl}/unsubscribe/[A-Za-z0-9_-]+>", unsubscribe);
            Assert.Contains("<mailto:unsubscribe@example.test?subject=unsubscribe%20", unsubscribe);
            Assert.IsType<MultipartAlternative>(mail.Body);
            Assert.Contains(NewsletterApp.BaseUrl + "/unsubscribe/", mail.TextBody);
        }
        Assert.NotEqual(mails[0].Headers["List-Unsubscribe"], mails[1].Headers["List-Unsubscribe"]);
        Assert.NotEqual(mails[0].MessageId, mails[1].MessageId);
    }

    [SkippableFact]
    public async Task Campaign_RetriesLater_WhenTheServerDefersWithA4xx_AndEveryoneGetsOneMessage()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var deferred = 0;
        app.Smtp.OnRecipient = _ => Interlocked.Increment(ref deferred) <= 60
            ? new ServerResponse(SmtpReplyCode.Unavailable, "4.7.1 Try again later")
            : null;
        var admin = app.Admin();
        var article = await admin.ImportArticleAsync(SampleTexts.Article);
        await admin.ImportSubscribersAsync(Api.Csv(40));

        var campaign = await admin.WaitForCampaignAsync(await admin.StartCampaignAsync(article["id"]!.GetValue<long>()));

        Assert.Equal("sent", campaign["status"]!.GetValue<string>());
        Assert.Equal(40, campaign["sent"]!.GetValue<int>());
        Assert.True(deferred > 60);
        Assert.All(app.Smtp.Messages.GroupBy(m => m.To.Mailboxes.Single().Address), g => Assert.Single(g));
        Assert.Equal(40, app.Smtp.Messages.Count);
    }

    [SkippableFact]
    public async Task Campaign_RecordsA5xxForOneRecipient_AndDeliversToTheRest()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        app.Smtp.OnRecipient = to => to == "reader3@example.test"
            ? new ServerResponse(SmtpReplyCode.MailboxUnavailable, "5.1.1 No such user")
            : null;
        var admin = app.Admin();
        var article = await admin.ImportArticleAsync(SampleTexts.Article);
        await admin.ImportSubscribersAsync(Api.Csv(10));

        var campaign = await admin.WaitForCampaignAsync(await admin.StartCampaignAsync(article["id"]!.GetValue<long>()));

        Assert.Equal("sent", campaign["status"]!.GetValue<string>());
        Assert.Equal(9, campaign["sent"]!.GetValue<int>());
        Assert.Equal(1, campaign["failed"]!.GetValue<int>());
        Assert.Empty(app.Smtp.To("reader3@example.test"));
        var bounced = await (await admin.GetAsync("/api/subscribers?status=bounced")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("reader3@example.test", bounced["items"]![0]!["email"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Campaign_WithSendAt_WaitsAsScheduled_ThenSends()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var admin = app.Admin();
        var article = await admin.ImportArticleAsync(SampleTexts.Article);
        await admin.ImportSubscribersAsync(Api.Csv(3));

        var id = await admin.StartCampaignAsync(article["id"]!.GetValue<long>(), DateTimeOffset.UtcNow.AddSeconds(3));

        Assert.Equal("scheduled", (await admin.GetCampaignAsync(id))["status"]!.GetValue<string>());
        Assert.Empty(app.Smtp.Messages);
        var campaign = await admin.WaitForCampaignAsync(id, TimeSpan.FromSeconds(60));
        Assert.Equal("sent", campaign["status"]!.GetValue<string>());
        Assert.Equal(3, app.Smtp.Messages.Count);
    }
}

public sealed class CampaignDeliveryOnSqlite() : CampaignDeliveryTests(Database.Sqlite);

public sealed class CampaignDeliveryOnPostgres() : CampaignDeliveryTests(Database.Postgres);
