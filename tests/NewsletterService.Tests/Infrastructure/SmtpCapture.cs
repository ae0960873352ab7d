using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using ServerResponse = SmtpServer.Protocol.SmtpResponse;

namespace NewsletterService.Tests.Infrastructure;

/// <summary>A real SMTP server on loopback (SmtpServer package) that keeps every message it accepts.</summary>
public sealed class SmtpCapture : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    /// <summary>Header the capture adds to each message it keeps: the envelope sender (MAIL FROM).</summary>
    public const string EnvelopeHeader = "X-Envelope-From";

    public int Port { get; }
    public ConcurrentQueue<MimeMessage> Messages { get; } = new();

    /// <summary>Every accepted message's envelope recipients (RCPT TO), one entry per message and recipient.</summary>
    public ConcurrentQueue<string> Recipients { get; } = new();

    /// <summary>When each message was accepted (UTC), one entry per message, in order.</summary>
    public ConcurrentQueue<DateTime> Arrivals { get; } = new();

    /// <summary>False: only <see cref="Recipients"/> are kept, not the parsed messages (for campaigns of many thousands).</summary>
    public bool KeepMessages { get; private init; } = true;

    /// <summary>Decides the reply to each RCPT TO (null = accept). Lets a test play a server that refuses or defers.</summary>
    public Func<string, ServerResponse?>? OnRecipient { get; set; }

    private readonly string _name = $"capture-{Guid.NewGuid():N}.test";

    private SmtpCapture(int? port)
    {
        Port = port ?? FreePort();
        var options = new SmtpServerOptionsBuilder()
            .ServerName(_name)
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).SessionTimeout(TimeSpan.FromMinutes(10)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new Filter(this));
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    /// <summary>Starts listening on <paramref name="port"/>, or on a free port.</summary>
    public static async Task<SmtpCapture> StartAsync(int? port = null, bool keepMessages = true)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var capture = new SmtpCapture(port) { KeepMessages = keepMessages };
            for (var i = 0; i < 100 && !capture._running.IsCompleted; i++)
            {
                try
                {
                    // The greeting must be this capture's: a free port can be taken by another test's server meanwhile.
                    using var probe = new TcpClient();
                    await probe.ConnectAsync(IPAddress.Loopback, capture.Port);
                    var greeting = await new StreamReader(probe.GetStream()).ReadLineAsync();
                    if (greeting?.Contains(capture._name) == true) return capture;
                    break;
                }
                catch (SocketException) { await Task.Delay(50); }
            }
            await capture.DisposeAsync();
        }
        throw new InvalidOperationException("The SMTP capture did not start listening.");
    }

    public IReadOnlyList<MimeMessage> To(string address) =>
        Messages.Where(m => m.To.Mailboxes.Any(x => x.Address.Equals(address, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>Waits until at least <paramref name="count"/> messages arrived.</summary>
    public async Task WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (Recipients.Count < count)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"Expected {count} messages, the capture holds {Recipients.Count}.");
            await Task.Delay(50);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _running; } catch (Exception e) when (e is OperationCanceledException or SocketException) { }
    }

    private sealed class Store(SmtpCapture capture) : MessageStore
    {
        public override Task<ServerResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken ct)
        {
            capture.Arrivals.Enqueue(DateTime.UtcNow);
            foreach (var to in transaction.To) capture.Recipients.Enqueue($"{to.User}@{to.Host}".ToLowerInvariant());
            if (!capture.KeepMessages) return Task.FromResult(ServerResponse.Ok);
            var message = MimeMessage.Load(new MemoryStream(buffer.ToArray()));
            message.Headers.Add(EnvelopeHeader, transaction.From.AsAddress()); // as an MTA adds Return-Path
            capture.Messages.Enqueue(message);
            return Task.FromResult(ServerResponse.Ok);
        }
    }

    private sealed class Filter(SmtpCapture capture) : MailboxFilter
    {
        public override Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken ct)
        {
            if (capture.OnRecipient?.Invoke($"{to.User}@{to.Host}") is { } refusal) throw new SmtpResponseException(refusal);
            return Task.FromResult(true);
        }
    }
}
