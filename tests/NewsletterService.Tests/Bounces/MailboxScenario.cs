using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;
using NewsletterService.Bounces;
using NewsletterService.Subscriptions;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Bounces;

/// <summary>
/// A throw-away Dovecot holding the bounce mailbox, and the service reading it: a campaign sent to a few readers (each mail
/// with its VERP envelope sender), mails put into the mailbox, and polls run as the recurring job runs them. Optionally the
/// campaign goes through a throw-away <see cref="Infrastructure.Postfix"/>, whose bounces come back into the mailbox.
/// </summary>
public sealed class MailboxScenario : IAsyncDisposable
{
    public Dovecot Dovecot { get; }
    public NewsletterApp App { get; }
    public Postfix? Postfix { get; }
    public long CampaignId { get; private set; }

    /// <summary>Where the campaign's mails arrived: the readers' server behind Postfix, else the service's SMTP capture.</summary>
    public SmtpCapture Mails => Postfix?.ReadersServer ?? App.Smtp;

    private MailboxScenario(Dovecot dovecot, Postfix? postfix, NewsletterApp app) => (Dovecot, Postfix, App) = (dovecot, postfix, app);

    /// <param name="readersServerBehindPostfix">
    /// Given: the service sends through Postfix, which relays to the readers' server answering each RCPT TO with this (null:
    /// accepted) and delivers the bounces it makes to the VERP addresses into the mailbox.
    /// </param>
    public static async Task<MailboxScenario> StartAsync(string protocol = "Imap", int readers = 3,
        IDictionary<string, string?>? settings = null, Database database = Database.Sqlite,
        Func<string, SmtpServer.Protocol.SmtpResponse?>? readersServerBehindPostfix = null)
    {
        var dovecot = await Dovecot.StartAsync();
        var postfix = readersServerBehindPostfix is null
            ? null
            : await Postfix.StartAsync(dovecot, MailFixtures.BounceDomain, readersServerBehindPostfix);
        var all = new Dictionary<string, string?>(dovecot.Settings("Bounces", protocol))
        {
            ["Newsletter:BounceDomain"] = MailFixtures.BounceDomain,
            ["Mailboxes:PollInterval"] = "01:00:00", // the tests poll themselves
        };
        if (postfix is not null) all["Smtp:Port"] = postfix.Port.ToString();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        var scenario = new MailboxScenario(dovecot, postfix, await NewsletterApp.StartAsync(database, all));
        var admin = scenario.App.Admin();
        var article = (await admin.ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>();
        await admin.ImportSubscribersAsync(Api.Csv(readers));
        scenario.CampaignId = await admin.StartCampaignAsync(article);
        await admin.WaitForCampaignAsync(scenario.CampaignId);
        return scenario;
    }

    /// <summary>The campaign mail a reader received.</summary>
    public MimeMessage MailTo(string reader) => Mails.To(reader)[0]; // a retried send is the same delivery

    /// <summary>The VERP envelope sender of the reader's campaign mail (where their bounces go).</summary>
    public string VerpOf(string reader) => MailTo(reader).Headers[SmtpCapture.EnvelopeHeader]!;

    public Task DeliverAsync(string fixture, string reader = "reader1@example.test", string? verp = null) =>
        Dovecot.DeliverAsync(MailFixtures.Load(fixture, verp ?? VerpOf(reader), reader));

    /// <summary>Reads the mailbox as the recurring job does, once its lease is free.</summary>
    public async Task PollAsync(string name = "Bounces")
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            await using var scope = App.Services.CreateAsyncScope();
            var mailbox = name == "Bounces" ? Options.Bounces : Options.Unsubscribes;
            if (await scope.ServiceProvider.GetRequiredService<MailboxPoller>().PollAsync(name, mailbox, CancellationToken.None)) return;
            if (DateTime.UtcNow > until) throw new TimeoutException($"The lease on {name} was not free.");
            await Task.Delay(100);
        }
    }

    public MailboxesOptions Options => App.Services.GetRequiredService<IOptions<MailboxesOptions>>().Value;

    public Task<SubscriberStatus> StatusAsync(string reader) =>
        App.WithDbAsync(db => db.Subscribers.Where(s => s.EmailKey == reader).Select(s => s.Status).SingleAsync());

    public Task<List<BounceEvent>> EventsAsync() => App.WithDbAsync(db => db.BounceEvents.OrderBy(e => e.Id).ToListAsync());

    public Task<MailboxState> StateAsync(string name = "Bounces") =>
        App.WithDbAsync(db => db.MailboxStates.AsNoTracking().SingleAsync(m => m.Name == name));

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (Postfix is not null) await Postfix.DisposeAsync();
        await Dovecot.DisposeAsync();
    }
}
