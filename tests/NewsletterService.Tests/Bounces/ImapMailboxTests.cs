using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using NewsletterService.Bounces;
using NewsletterService.Delivery;
using NewsletterService.Subscriptions;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Bounces;

/// <summary>The bounce mailbox read over IMAP from a real Dovecot: what each mail changes, and where it goes afterwards.</summary>
public sealed class ImapMailboxTests
{
    [SkippableFact]
    public async Task AHardBounce_MarksTheReaderBounced_FailsTheDeliveryWithTheDiagnostic_AndMovesTheMailToProcessed()
    {
        await using var scenario = await MailboxScenario.StartAsync();
        await scenario.DeliverAsync("gmail-dsn", "reader1@example.test");

        await scenario.PollAsync();

        Assert.Equal(SubscriberStatus.Bounced, await scenario.StatusAsync("reader1@example.test"));
        Assert.Equal(SubscriberStatus.Confirmed, await scenario.StatusAsync("reader2@example.test"));
        var bounce = Assert.Single(await scenario.EventsAsync());
        Assert.Equal((BounceKind.Hard, BounceSource.Mailbox, "5.1.1", scenario.CampaignId),
            (bounce.Kind, bounce.Source, bounce.Status, bounce.CampaignId));
        var delivery = await scenario.App.WithDbAsync(db => db.Deliveries.SingleAsync(d => d.Id == bounce.DeliveryId));
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Contains("550-5.1.1 The email account that you tried to reach does not exist", delivery.Error);
        Assert.Equal((0, 1), (await scenario.Dovecot.CountAsync("INBOX"), await scenario.Dovecot.CountAsync("Processed")));
        Assert.Equal(1, (await scenario.StateAsync()).Processed);
    }

    [SkippableFact]
    public async Task ADeliveryStatusNotification_WithoutOurVerpAddress_IsMatchedByItsFinalRecipient()
    {
        await using var scenario = await MailboxScenario.StartAsync();
        await scenario.DeliverAsync("exchange-dsn", "reader2@example.test", verp: "newsletter@example.test");

        await scenario.PollAsync();

        Assert.Equal(SubscriberStatus.Bounced, await scenario.StatusAsync("reader2@example.test"));
        Assert.Equal(scenario.CampaignId, Assert.Single(await scenario.EventsAsync()).CampaignId);
    }

    [SkippableFact]
    public async Task SoftBounces_MarkTheReaderBounced_OnlyAtTheThirdWithinTheWindow()
    {
        await using var scenario = await MailboxScenario.StartAsync();
        await scenario.DeliverAsync("delayed-dsn");
        await scenario.DeliverAsync("delayed-dsn");
        await scenario.PollAsync();
        Assert.Equal(SubscriberStatus.Confirmed, await scenario.StatusAsync("reader1@example.test"));

        await scenario.DeliverAsync("delayed-dsn");
        await scenario.PollAsync();

        Assert.Equal(SubscriberStatus.Bounced, await scenario.StatusAsync("reader1@example.test"));
        Assert.All(await scenario.EventsAsync(), e => Assert.Equal((BounceKind.Soft, "4.4.1"), (e.Kind, e.Status)));
    }

    [SkippableFact]
    public async Task AComplaint_UnsubscribesTheReaderAtOnce_AndCountsOnTheCampaign()
    {
        await using var scenario = await MailboxScenario.StartAsync();
        await scenario.DeliverAsync("arf-complaint", "reader0@example.test");

        await scenario.PollAsync();

        Assert.Equal(SubscriberStatus.Unsubscribed, await scenario.StatusAsync("reader0@example.test"));
        var complaint = Assert.Single(await scenario.EventsAsync());
        Assert.Equal((BounceKind.Complaint, scenario.CampaignId), (complaint.Kind, complaint.CampaignId));
    }

    [SkippableFact]
    public async Task AMailedUnsubscribe_WithTheTokenOfTheListUnsubscribeHeader_UnsubscribesThatReader_WhoeverSendsIt()
    {
        await using var scenario = await MailboxScenario.StartAsync();
        var mailto = scenario.MailTo("reader2@example.test").Headers["List-Unsubscribe"]!;
        var token = Regex.Match(mailto, @"subject=unsubscribe%20([A-Za-z0-9_-]+)>").Groups[1].Value;
        await scenario.Dovecot.DeliverAsync(MailFixtures.Load("unsubscribe", token: token, from: "forwarder@elsewhere.example"));

        await scenario.PollAsync();

        Assert.Equal(SubscriberStatus.Unsubscribed, await scenario.StatusAsync("reader2@example.test"));
        Assert.Equal(1, await scenario.Dovecot.CountAsync("Processed"));
    }

    [SkippableFact]
    public async Task AMailedUnsubscribe_FromTheReadersAddress_WithATamperedToken_ChangesNothing_AndIsLeftInUnprocessed()
    {
        await using var scenario = await MailboxScenario.StartAsync();
        var mailto = scenario.MailTo("reader2@example.test").Headers["List-Unsubscribe"]!;
        var token = Regex.Match(mailto, @"subject=unsubscribe%20([A-Za-z0-9_-]+)>").Groups[1].Value;
        var tampered = token[..10] + (token[10] == 'A' ? 'B' : 'A') + token[11..];
        await scenario.Dovecot.DeliverAsync(MailFixtures.Load("unsubscribe", token: tampered, from: "reader2@example.test"));

        await scenario.PollAsync();

        Assert.Equal(SubscriberStatus.Confirmed, await scenario.StatusAsync("reader2@example.test"));
        Assert.Equal(1, await scenario.Dovecot.CountAsync("Unprocessed"));
    }

    [SkippableFact]
    public async Task AnAutoReply_ChangesNothing_AndIsLeftInUnprocessed()
    {
        await using var scenario = await MailboxScenario.StartAsync();
        await scenario.DeliverAsync("out-of-office");

        await scenario.PollAsync();

        Assert.Equal(SubscriberStatus.Confirmed, await scenario.StatusAsync("reader1@example.test"));
        Assert.Empty(await scenario.EventsAsync());
        Assert.Equal((0, 0, 1), (await scenario.Dovecot.CountAsync("INBOX"), await scenario.Dovecot.CountAsync("Processed"),
            await scenario.Dovecot.CountAsync("Unprocessed")));
    }

    [SkippableFact]
    public async Task ABounceAboutSomeoneWeDoNotKnow_IsLeftInUnprocessed()
    {
        await using var scenario = await MailboxScenario.StartAsync();
        await scenario.Dovecot.DeliverAsync(MailFixtures.Load("gmail-dsn", "postmaster@example.test", "stranger@elsewhere.example"));

        await scenario.PollAsync();

        Assert.Empty(await scenario.EventsAsync());
        Assert.Equal((0, 1), (await scenario.Dovecot.CountAsync("Processed"), await scenario.Dovecot.CountAsync("Unprocessed")));
        Assert.Equal(0, (await scenario.StateAsync()).Processed);
    }

    [SkippableFact]
    public async Task AProcessKilledAfterTheCommit_BeforeTheMove_ReadsTheMailAgain_AndCountsItOnce()
    {
        await using var scenario = await MailboxScenario.StartAsync();
        await scenario.DeliverAsync("gmail-dsn", "reader1@example.test");
        await scenario.DeliverAsync("arf-complaint", "reader2@example.test");
        await using (var scope = scenario.App.Services.CreateAsyncScope())
        await using (var reader = await MailboxReaders.OpenAsync(scenario.Options.Bounces, CancellationToken.None))
        {
            var processor = scope.ServiceProvider.GetRequiredService<MailboxProcessor>();
            await Assert.ThrowsAsync<IOException>(() =>
                processor.ProcessAsync("Bounces", new DiesBeforeTheMove(reader), CancellationToken.None));
        }
        Assert.Equal(2, await scenario.Dovecot.CountAsync("INBOX"));
        Assert.Single(await scenario.EventsAsync()); // the first mail was committed, then the process died

        await scenario.PollAsync();

        Assert.Equal([BounceKind.Hard, BounceKind.Complaint], (await scenario.EventsAsync()).Select(e => e.Kind));
        Assert.Equal((0, 2), (await scenario.Dovecot.CountAsync("INBOX"), await scenario.Dovecot.CountAsync("Processed")));
        Assert.Equal(1, (await scenario.StateAsync()).Processed); // the bounce read again is not counted again
    }

    [SkippableFact]
    public async Task AMailboxLeasedByAnotherProcess_IsNotRead()
    {
        await using var scenario = await MailboxScenario.StartAsync();
        await scenario.DeliverAsync("gmail-dsn");
        await using var scope = scenario.App.Services.CreateAsyncScope();
        var lease = scope.ServiceProvider.GetRequiredService<MailboxLease>();
        Assert.True(await lease.TryAcquireAsync("Bounces", "other-process", CancellationToken.None));

        var read = await scope.ServiceProvider.GetRequiredService<MailboxPoller>()
            .PollAsync("Bounces", scenario.Options.Bounces, CancellationToken.None);

        Assert.False(read);
        Assert.Equal(1, await scenario.Dovecot.CountAsync("INBOX"));
        Assert.Equal(SubscriberStatus.Confirmed, await scenario.StatusAsync("reader1@example.test"));
    }

    /// <summary>The real reader, whose process dies just before it moves the first mail it acted on.</summary>
    private sealed class DiesBeforeTheMove(IMailboxReader inner) : IMailboxReader
    {
        public Task<IReadOnlyList<string>> ListAsync(CancellationToken ct) => inner.ListAsync(ct);
        public Task<MimeMessage> ReadAsync(string id, CancellationToken ct) => inner.ReadAsync(id, ct);
        public Task FinishAsync(string id, bool handled, CancellationToken ct) => throw new IOException("killed");
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
