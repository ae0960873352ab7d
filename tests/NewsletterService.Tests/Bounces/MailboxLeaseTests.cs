using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using NewsletterService.Bounces;
using NewsletterService.Subscriptions;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Bounces;

/// <summary>
/// The lease on a mailbox during a read longer than the lease itself, from a real Dovecot: the reader's clock is a fake one
/// that each mail read moves on by four minutes, so the whole read outlasts the ten-minute lease.
/// </summary>
public sealed class MailboxLeaseTests
{
    private static readonly TimeSpan PerMail = TimeSpan.FromMinutes(4);

    [SkippableFact]
    public async Task AReadLongerThanTheLease_RenewsIt_SoAnotherProcessCannotTakeTheMailboxOverMidRead()
    {
        await using var scenario = await MailboxScenario.StartAsync();
        foreach (var reader in new[] { "reader0@example.test", "reader1@example.test", "reader2@example.test" })
            await scenario.DeliverAsync("gmail-dsn", reader);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var takeOvers = new List<bool>();

        await ReadAsync(scenario, clock, async () => takeOvers.Add(await TryTakeOverAsync(scenario, clock)));

        Assert.True(clock.GetUtcNow() - clock.Start > MailboxLease.Length, "the read outlasted the lease");
        Assert.Equal([false, false, false], takeOvers);
        var state = await scenario.StateAsync();
        Assert.Equal("poller", state.LeaseHolder);
        Assert.True(state.LeasedUntil > clock.GetUtcNow().UtcDateTime);
        Assert.Equal(3, await scenario.Dovecot.CountAsync("Processed"));
    }

    [SkippableFact]
    public async Task AReadWhoseLeaseAnotherProcessTookOver_StopsBeforeTheNextMail()
    {
        await using var scenario = await MailboxScenario.StartAsync();
        await scenario.DeliverAsync("gmail-dsn", "reader0@example.test");
        await scenario.DeliverAsync("gmail-dsn", "reader1@example.test");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var reads = 0;

        // The first mail's read stalls past the whole lease, and another process takes the mailbox over meanwhile.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ReadAsync(scenario, clock, async () =>
        {
            if (++reads > 1) return;
            clock.Advance(MailboxLease.Length);
            Assert.True(await TryTakeOverAsync(scenario, clock));
        }));

        Assert.Contains("Another process took over the lease on the mailbox Bounces", error.Message);
        Assert.Equal(1, reads);
        Assert.Equal(SubscriberStatus.Bounced, await scenario.StatusAsync("reader0@example.test"));
        Assert.Equal(SubscriberStatus.Confirmed, await scenario.StatusAsync("reader1@example.test"));
        Assert.Equal((1, 1), (await scenario.Dovecot.CountAsync("INBOX"), await scenario.Dovecot.CountAsync("Processed")));
    }

    /// <summary>Reads the mailbox as the poller does, holding its lease as "poller", on <paramref name="clock"/>.</summary>
    private static async Task ReadAsync(MailboxScenario scenario, FakeTimeProvider clock, Func<Task> afterEachRead)
    {
        await using var scope = scenario.App.Services.CreateAsyncScope();
        var lease = ActivatorUtilities.CreateInstance<MailboxLease>(scope.ServiceProvider, (TimeProvider)clock);
        Assert.True(await lease.TryAcquireAsync("Bounces", "poller", CancellationToken.None));
        var processor = ActivatorUtilities.CreateInstance<MailboxProcessor>(scope.ServiceProvider, (TimeProvider)clock);
        await using var reader = await MailboxReaders.OpenAsync(scenario.Options.Bounces, CancellationToken.None);
        await processor.ProcessAsync("Bounces", new SlowReader(reader, clock, afterEachRead), CancellationToken.None,
            lease.Held("Bounces", "poller"));
    }

    /// <summary>What a second process does at the mailbox's next turn: tries to take the lease.</summary>
    private static async Task<bool> TryTakeOverAsync(MailboxScenario scenario, TimeProvider clock)
    {
        await using var scope = scenario.App.Services.CreateAsyncScope();
        var other = ActivatorUtilities.CreateInstance<MailboxLease>(scope.ServiceProvider, clock);
        return await other.TryAcquireAsync("Bounces", "other-process", CancellationToken.None);
    }

    /// <summary>The real reader, each mail of which takes <see cref="PerMail"/> on the fake clock to read.</summary>
    private sealed class SlowReader(IMailboxReader inner, FakeTimeProvider clock, Func<Task> afterEachRead) : IMailboxReader
    {
        public Task<IReadOnlyList<string>> ListAsync(CancellationToken ct) => inner.ListAsync(ct);

        public async Task<MimeMessage> ReadAsync(string id, CancellationToken ct)
        {
            var message = await inner.ReadAsync(id, ct);
            clock.Advance(PerMail);
            await afterEachRead();
            return message;
        }

        public Task FinishAsync(string id, bool handled, CancellationToken ct) => inner.FinishAsync(id, handled, ct);
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
