using Microsoft.EntityFrameworkCore;
using NewsletterService.Bounces;
using NewsletterService.Delivery;
using NewsletterService.Subscriptions;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Bounces;

/// <summary>
/// A report that lost our VERP address (a relay rewrote the envelope sender, a forward bounced to the From address) is matched
/// by the recipient it names together with the Message-ID of the returned original, which names the campaign and delivery.
/// </summary>
public sealed class MessageIdMatchingTests
{
    [Fact]
    public void ACampaignMailsMessageId_NamesItsCampaignAndDelivery_AndNoOtherIdDoes()
    {
        var id = CampaignMessageId.Create(7, 42, "example.test");

        Assert.True(CampaignMessageId.TryRead(id, out var campaign, out var delivery));
        Assert.Equal((7L, 42L), (campaign, delivery));
        Assert.True(CampaignMessageId.TryRead($"<{id}>", out _, out _));
        Assert.EndsWith("@example.test", id);
        Assert.NotEqual(id, CampaignMessageId.Create(7, 42, "example.test"));
        Assert.False(CampaignMessageId.TryRead("original-c7-d42.abc@example.test", out _, out _));
        Assert.False(CampaignMessageId.TryRead("c7-d42@example.test", out _, out _));
        Assert.False(CampaignMessageId.TryRead(null, out _, out _));
    }

    [Theory]
    [InlineData("postfix-headers-dsn", "reader0@example.test")] // the original's headers (text/rfc822-headers)
    [InlineData("forwarded-dsn", "old-mailbox@forward.example")] // the whole original (message/rfc822), forwarded on
    public void AReportWithoutOurVerpAddress_NamesTheOriginalsMessageId_AndItsRecipients(string fixture, string final)
    {
        var mail = MailFixtures.Load(fixture, "news@example.test", original: "c7-d42.0123abcd@example.test");

        var outcome = MailParser.Parse(mail, MailFixtures.BounceDomain);

        Assert.Equal((MailKind.HardBounce, (long?)null, "5.1.1"), (outcome.Kind, outcome.DeliveryId, outcome.Status));
        Assert.Equal("c7-d42.0123abcd@example.test", outcome.OriginalMessageId);
        Assert.Equal((final, "reader0@example.test"), (outcome.Recipient, outcome.OriginalRecipient));
    }

    [SkippableTheory]
    [InlineData("postfix-headers-dsn")]
    [InlineData("forwarded-dsn")]
    public async Task ABounceWithoutOurVerpAddress_CountsOnTheDeliveryItsOriginalsMessageIdNames_NotTheReadersLastOne(string fixture)
    {
        await using var scenario = await MailboxScenario.StartAsync();
        var second = await SendAnotherCampaignAsync(scenario);
        var first = OriginalId(scenario, "reader1@example.test", scenario.CampaignId);
        await scenario.Dovecot.DeliverAsync(MailFixtures.Load(fixture, "news@example.test", "reader1@example.test", original: first));

        await scenario.PollAsync();

        Assert.Equal(SubscriberStatus.Bounced, await scenario.StatusAsync("reader1@example.test"));
        var bounce = Assert.Single(await scenario.EventsAsync());
        var delivery = await scenario.App.WithDbAsync(db => db.Deliveries.SingleAsync(d => d.Id == bounce.DeliveryId));
        Assert.Equal((scenario.CampaignId, scenario.CampaignId, DeliveryStatus.Failed),
            (bounce.CampaignId, delivery.CampaignId, delivery.Status));
        Assert.NotEqual(second, bounce.CampaignId);
        Assert.True(CampaignMessageId.TryRead(first, out _, out var named));
        Assert.Equal(named, bounce.DeliveryId);
    }

    [SkippableFact]
    public async Task AMessageIdOfAnotherReadersMail_IsNotTrusted_TheReportCountsOnItsOwnRecipientsLastDelivery()
    {
        await using var scenario = await MailboxScenario.StartAsync();
        var second = await SendAnotherCampaignAsync(scenario);
        var othersMail = OriginalId(scenario, "reader2@example.test", scenario.CampaignId);
        await scenario.Dovecot.DeliverAsync(
            MailFixtures.Load("postfix-headers-dsn", "news@example.test", "reader1@example.test", original: othersMail));

        await scenario.PollAsync();

        Assert.Equal(SubscriberStatus.Bounced, await scenario.StatusAsync("reader1@example.test"));
        Assert.Equal(SubscriberStatus.Confirmed, await scenario.StatusAsync("reader2@example.test"));
        var bounce = Assert.Single(await scenario.EventsAsync());
        Assert.Equal(("reader1@example.test", second), (bounce.Email, bounce.CampaignId));
    }

    /// <summary>A second campaign to the same readers: the one a report without a Message-ID of ours would be put on.</summary>
    private static async Task<long> SendAnotherCampaignAsync(MailboxScenario scenario)
    {
        var admin = scenario.App.Admin();
        var article = (await admin.ImportArticleAsync(SampleTexts.Article.Replace("Harbour market", "Harbour fair")))["id"]!
            .GetValue<long>();
        var campaign = await admin.StartCampaignAsync(article);
        await admin.WaitForCampaignAsync(campaign);
        return campaign;
    }

    /// <summary>The Message-ID of the reader's mail of <paramref name="campaign"/>, as the SMTP server received it.</summary>
    private static string OriginalId(MailboxScenario scenario, string reader, long campaign) =>
        scenario.App.Smtp.To(reader).Select(m => m.MessageId!).First(id => CampaignMessageId.TryRead(id, out var c, out _) && c == campaign);
}
