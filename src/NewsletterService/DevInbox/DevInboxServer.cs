using System.Buffers;
using Microsoft.Extensions.Options;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using SmtpServiceProvider = SmtpServer.ComponentModel.ServiceProvider;

namespace NewsletterService.DevInbox;

/// <summary>An SMTP server on loopback that keeps every message it is sent in the <see cref="DevInboxStore"/>.</summary>
public sealed class DevInboxServer(DevInboxStore store, IOptions<DevInboxOptions> options, ILogger<DevInboxServer> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var smtpOptions = new SmtpServerOptionsBuilder()
            .ServerName("newsletter-dev-inbox")
            .Endpoint(e => e.Endpoint(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, options.Value.Port)))
            .Build();
        var services = new SmtpServiceProvider();
        services.Add(new Store(store));
        log.LogInformation("Dev inbox listening on 127.0.0.1:{Port}; all mail goes there. Read it at /dev/inbox", options.Value.Port);
        await new SmtpServer.SmtpServer(smtpOptions, services).StartAsync(stoppingToken);
    }

    private sealed class Store(DevInboxStore store) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken ct)
        {
            store.Add(buffer.ToArray());
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
