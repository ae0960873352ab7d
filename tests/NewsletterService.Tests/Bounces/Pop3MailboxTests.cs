using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using NewsletterService.Bounces;
using NewsletterService.Subscriptions;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Bounces;

/// <summary>
/// The bounce mailbox read over POP3 from a real Dovecot: a mail acted on is deleted (when the session ends with QUIT), any other
/// stays in the mailbox for a human; nothing is deleted unread.
/// </summary>
public sealed class Pop3MailboxTests
{
    private static Task<MailboxScenario> StartAsync() => MailboxScenario.StartAsync("Pop3");

    [SkippableFact]
    public async Task AHardBounce_MarksTheReaderBounced_AndDeletesTheMail()
    {
        await using var scenario = await StartAsync();
        await scenario.DeliverAsync("gmail-dsn", "reader1@example.test");

        await scenario.PollAsync();

        Assert.Equal(SubscriberStatus.Bounced, await scenario.StatusAsync("reader1@example.test"));
        Assert.Equal(SubscriberStatus.Confirmed, await scenario.StatusAsync("reader2@example.test"));
        var bounce = Assert.Single(await scenario.EventsAsync());
        Assert.Equal((BounceKind.Hard, BounceSource.Mailbox, "5.1.1", scenario.CampaignId),
            (bounce.Kind, bounce.Source, bounce.Status, bounce.CampaignId));
        Assert.Equal(0, await scenario.Dovecot.CountAsync("INBOX"));
        Assert.Equal((1, null), ((await scenario.StateAsync()).Processed, (await scenario.StateAsync()).LastError));
    }

    [SkippableFact]
    public async Task AComplaint_UnsubscribesTheReaderAtOnce_AndDeletesTheMail()
    {
        await using var scenario = await StartAsync();
        await scenario.DeliverAsync("arf-complaint", "reader0@example.test");

        await scenario.PollAsync();

        Assert.Equal(SubscriberStatus.Unsubscribed, await scenario.StatusAsync("reader0@example.test"));
        var complaint = Assert.Single(await scenario.EventsAsync());
        Assert.Equal((BounceKind.Complaint, scenario.CampaignId), (complaint.Kind, complaint.CampaignId));
        Assert.Equal(0, await scenario.Dovecot.CountAsync("INBOX"));
    }

    [SkippableFact]
    public async Task AMailedUnsubscribe_WithTheTokenOfTheListUnsubscribeHeader_UnsubscribesThatReader_WhoeverSendsIt()
    {
        await using var scenario = await StartAsync();
        var mailto = scenario.MailTo("reader2@example.test").Headers["List-Unsubscribe"]!;
        var token = Regex.Match(mailto, @"subject=unsubscribe%20([A-Za-z0-9_-]+)>").Groups[1].Value;
        await scenario.Dovecot.DeliverAsync(MailFixtures.Load("unsubscribe", token: token, from: "forwarder@elsewhere.example"));

        await scenario.PollAsync();

        Assert.Equal(SubscriberStatus.Unsubscribed, await scenario.StatusAsync("reader2@example.test"));
        Assert.Equal(SubscriberStatus.Confirmed, await scenario.StatusAsync("reader1@example.test"));
        Assert.Equal(0, await scenario.Dovecot.CountAsync("INBOX"));
    }

    [SkippableFact]
    public async Task AnAutoReply_ChangesNothing_AndStaysInTheMailbox_ThroughEveryPoll()
    {
        await using var scenario = await StartAsync();
        await scenario.DeliverAsync("out-of-office");

        await scenario.PollAsync();
        await scenario.PollAsync();

        Assert.Equal(SubscriberStatus.Confirmed, await scenario.StatusAsync("reader1@example.test"));
        Assert.Empty(await scenario.EventsAsync());
        Assert.Equal(1, await scenario.Dovecot.CountAsync("INBOX"));
        Assert.Equal(0, (await scenario.StateAsync()).Processed);
    }

    [SkippableFact]
    public async Task AnUnmatchedMail_IsKept_WhileTheBounceBesideItIsDeleted()
    {
        await using var scenario = await StartAsync();
        await scenario.Dovecot.DeliverAsync(MailFixtures.Load("gmail-dsn", "postmaster@example.test", "stranger@elsewhere.example"));
        await scenario.Dovecot.DeliverAsync(MailFixtures.Load("note-from-a-reader"));
        await scenario.DeliverAsync("exchange-dsn", "reader1@example.test");

        await scenario.PollAsync();

        Assert.Equal(SubscriberStatus.Bounced, await scenario.StatusAsync("reader1@example.test"));
        Assert.Single(await scenario.EventsAsync());
        var kept = await scenario.Dovecot.SubjectsAsync("INBOX");
        Assert.Equal(["Delivery Status Notification (Failure)", "Re: Harbour news"], kept);
        Assert.Equal(1, (await scenario.StateAsync()).Processed);
    }

    [SkippableFact]
    public async Task AProcessKilledAfterTheCommit_BeforeTheSessionEnds_ReadsTheMailAgain_AndCountsItOnce()
    {
        await using var scenario = await StartAsync();
        await scenario.DeliverAsync("gmail-dsn", "reader1@example.test");
        await scenario.DeliverAsync("arf-complaint", "reader2@example.test");
        await using (var relay = new TcpRelay(scenario.Dovecot.Pop3Port))
        await using (var scope = scenario.App.Services.CreateAsyncScope())
        {
            var settings = scenario.Options.Bounces;
            var viaRelay = new MailboxSettings
            {
                Host = settings.Host, Port = relay.Port, Protocol = MailboxProtocol.Pop3, SecureSocket = settings.SecureSocket,
                Username = settings.Username, Password = settings.Password,
            };
            await using var reader = await MailboxReaders.OpenAsync(viaRelay, CancellationToken.None);
            // The first mail is committed and marked deleted (DELE), then the process dies: the session ends without QUIT.
            await Assert.ThrowsAsync<IOException>(() => scope.ServiceProvider.GetRequiredService<MailboxProcessor>()
                .ProcessAsync("Bounces", new DiesAfterTheFirstDelete(reader, relay), CancellationToken.None));
        }
        Assert.Single(await scenario.EventsAsync());
        await WaitForAsync(() => scenario.Dovecot.Log.Contains("Disconnected: Connection closed top=0/0, retr=1/"),
            "Dovecot ended the cut session");
        Assert.Equal(2, await scenario.Dovecot.CountAsync("INBOX")); // a session without QUIT deletes nothing

        await scenario.PollAsync();

        Assert.Equal([BounceKind.Hard, BounceKind.Complaint], (await scenario.EventsAsync()).Select(e => e.Kind));
        Assert.Equal(SubscriberStatus.Bounced, await scenario.StatusAsync("reader1@example.test"));
        Assert.Contains("Logged out top=0/0, retr=2/", scenario.Dovecot.Log); // both read again, then deleted
        Assert.Equal(0, await scenario.Dovecot.CountAsync("INBOX"));
        Assert.Equal(1, (await scenario.StateAsync()).Processed); // the bounce read again is not counted again
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        for (var until = DateTime.UtcNow.AddSeconds(10); !condition(); await Task.Delay(50))
            if (DateTime.UtcNow > until) throw new TimeoutException($"Waited in vain: {what}.");
    }

    /// <summary>The real reader, whose process dies (its connection cut) just after it marked the first mail deleted.</summary>
    private sealed class DiesAfterTheFirstDelete(IMailboxReader inner, TcpRelay connection) : IMailboxReader
    {
        public Task<IReadOnlyList<string>> ListAsync(CancellationToken ct) => inner.ListAsync(ct);
        public Task<MimeMessage> ReadAsync(string id, CancellationToken ct) => inner.ReadAsync(id, ct);

        public async Task FinishAsync(string id, bool handled, CancellationToken ct)
        {
            await inner.FinishAsync(id, handled, ct);
            connection.Cut();
            throw new IOException("killed");
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
