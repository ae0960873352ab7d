using Microsoft.EntityFrameworkCore;
using NewsletterService.Bounces;
using NewsletterService.Delivery;
using NewsletterService.Subscriptions;
using NewsletterService.Tests.Infrastructure;
using SmtpServer.Protocol;

namespace NewsletterService.Tests.Bounces;

/// <summary>
/// A bounce made by a real Postfix, end to end: the campaign is handed to Postfix, which accepts every mail, is refused one
/// recipient by the readers' server, and sends its delivery status notification to that mail's VERP envelope sender, which it
/// delivers itself into the Dovecot mailbox; the service reads the mailbox and the reader is bounced.
/// </summary>
public sealed class PostfixBounceTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task ARecipientTheReadersServerRefuses_AfterPostfixAcceptedTheMail_IsBouncedThroughTheMailbox()
    {
        await using var scenario = await MailboxScenario.StartAsync(readersServerBehindPostfix: to => to == "reader1@example.test"
            ? new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "5.1.1 <reader1@example.test>: no such mailbox here")
            : null);
        var delivery = await scenario.App.WithDbAsync(db => db.Deliveries.SingleAsync(d =>
            d.SubscriberId == db.Subscribers.Single(s => s.EmailKey == "reader1@example.test").Id));
        Assert.Equal(DeliveryStatus.Sent, delivery.Status); // Postfix accepted it: the refusal comes later, by mail
        await scenario.Mails.WaitForAsync(2, Deadline); // the others reached the readers' server through Postfix
        Assert.All(scenario.Mails.Messages, m => Assert.Matches(@"^bounces\+c\d+-d\d+@", m.Headers[SmtpCapture.EnvelopeHeader]));

        await WaitForAsync(async () => await scenario.Dovecot.CountAsync("INBOX") == 1, scenario.Postfix!, "Postfix's bounce");
        await scenario.PollAsync();

        Assert.Equal(SubscriberStatus.Bounced, await scenario.StatusAsync("reader1@example.test"));
        Assert.Equal(SubscriberStatus.Confirmed, await scenario.StatusAsync("reader0@example.test"));
        Assert.Equal(SubscriberStatus.Confirmed, await scenario.StatusAsync("reader2@example.test"));
        var bounce = Assert.Single(await scenario.EventsAsync());
        Assert.Equal((BounceKind.Hard, BounceSource.Mailbox, "5.1.1", scenario.CampaignId, delivery.Id),
            (bounce.Kind, bounce.Source, bounce.Status, bounce.CampaignId, bounce.DeliveryId));
        var failed = await scenario.App.WithDbAsync(db => db.Deliveries.SingleAsync(d => d.Id == delivery.Id));
        Assert.Equal(DeliveryStatus.Failed, failed.Status);
        Assert.Contains("550 5.1.1 <reader1@example.test>: no such mailbox here", failed.Error);
        Assert.Equal((0, 1), (await scenario.Dovecot.CountAsync("INBOX"), await scenario.Dovecot.CountAsync("Processed")));
    }

    [SkippableFact]
    public async Task ARecipientTheReadersServerDefers_GetsPostfixsDelayWarning_CountedAsOneSoftBounce()
    {
        await using var scenario = await MailboxScenario.StartAsync(readersServerBehindPostfix: to => to == "reader2@example.test"
            ? new SmtpResponse(SmtpReplyCode.InsufficientStorage, "4.2.2 <reader2@example.test>: mailbox full, try later")
            : null);

        await WaitForAsync(async () => await scenario.Dovecot.CountAsync("INBOX") == 1, scenario.Postfix!, "Postfix's delay warning");
        await scenario.PollAsync();

        Assert.Equal(SubscriberStatus.Confirmed, await scenario.StatusAsync("reader2@example.test")); // one of Bounces:SoftLimit
        var bounce = Assert.Single(await scenario.EventsAsync());
        Assert.Equal((BounceKind.Soft, "4.2.2", scenario.CampaignId), (bounce.Kind, bounce.Status, bounce.CampaignId));
        Assert.Contains("mailbox full, try later", bounce.Diagnostic);
        var delivery = await scenario.App.WithDbAsync(db => db.Deliveries.SingleAsync(d => d.Id == bounce.DeliveryId));
        Assert.Equal(DeliveryStatus.Sent, delivery.Status); // Postfix still retries it
        Assert.Equal(["Delayed Mail (still being retried)"], await scenario.Dovecot.SubjectsAsync("Processed"));
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, Postfix postfix, string what)
    {
        for (var until = DateTime.UtcNow + Deadline; !await condition(); await Task.Delay(200))
            if (DateTime.UtcNow > until) throw new TimeoutException($"Waited in vain for {what}. Postfix's log:\n{postfix.Log}");
    }
}
