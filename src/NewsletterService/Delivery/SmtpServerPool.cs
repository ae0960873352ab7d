using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace NewsletterService.Delivery;

/// <summary>
/// One SMTP server: at most <c>MaxConnections</c> open, reused MailKit connections, the sending limits it keeps (the
/// overall ones and its own rate, all processes together), and whether it is down. Each connection is its own socket with Nagle off
/// (NoDelay): without it every message waits ~45 ms for delayed ACKs, even on loopback.
/// </summary>
public sealed class SmtpServerPool(SmtpServerOptions server, TimeSpan timeout, IReadOnlyList<ISendThrottle> throttles, ILogger log)
    : IAsyncDisposable
{
    private static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(60);

    /// <summary>A connection that waited this long for the sending limits is treated as one taken from the pool.</summary>
    private const long StaleAfterMs = 1000;
    private readonly SemaphoreSlim _slots = new(server.MaxConnections);
    private readonly Stack<(SmtpClient Client, long IdleSince)> _idle = new();
    private long _downUntil;

    public string Name { get; } = $"{server.Host}:{server.Port}";

    /// <summary>When the server failed last, until when it is left alone (Environment.TickCount64).</summary>
    public long DownUntil => Interlocked.Read(ref _downUntil);

    public void MarkDown(TimeSpan retryAfter) =>
        Interlocked.Exchange(ref _downUntil, Environment.TickCount64 + (long)retryAfter.TotalMilliseconds);

    public void MarkUp() => Interlocked.Exchange(ref _downUntil, 0);

    public async Task SendAsync(MimeMessage message, MailboxAddress envelopeSender, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        try
        {
            // The connection first, then the permits: they last only for their tenth of a second (so they are used at
            // once), and a server that cannot be reached takes none.
            var idle = TakeIdle();
            var client = idle ?? await ConnectAsync(ct);
            var waitedSince = Environment.TickCount64;
            try
            {
                foreach (var throttle in throttles) await throttle.WaitAsync(ct);
            }
            catch
            {
                Return(client);
                throw;
            }
            if (idle is not null || Environment.TickCount64 - waitedSince > StaleAfterMs)
            {
                try
                {
                    await SendOnAsync(client, message, envelopeSender);
                    return;
                }
                catch (Exception e) when (e is ServiceNotConnectedException or IOException or SmtpProtocolException or SocketException)
                {
                    // The server dropped a connection that sat unused; try once more on a fresh one.
                    log.LogDebug("Reused SMTP connection to {Server} was stale: {Error}", Name, e.Message);
                }
                client = await ConnectAsync(ct);
            }
            await SendOnAsync(client, message, envelopeSender);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task SendOnAsync(SmtpClient client, MimeMessage message, MailboxAddress envelopeSender)
    {
        try
        {
            // Not cancellable: MailKit's Timeout bounds it, and a message once started is finished.
            await client.SendAsync(message, envelopeSender, message.To.Mailboxes, CancellationToken.None);
        }
        catch (SmtpCommandException) when (client.IsConnected)
        {
            Return(client); // a refused sender, recipient or message leaves the connection usable
            throw;
        }
        catch
        {
            Discard(client);
            throw;
        }
        Return(client);
    }

    private async Task<SmtpClient> ConnectAsync(CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var client = new Client { Timeout = (int)timeout.TotalMilliseconds };
        try
        {
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            connectTimeout.CancelAfter(timeout);
            await socket.ConnectAsync(server.Host, server.Port, connectTimeout.Token);
            await client.ConnectAsync(socket, server.Host, server.Port, server.MailKitSecurity(), ct);
            if (!string.IsNullOrEmpty(server.Username)) await client.AuthenticateAsync(server.Username, server.Password ?? "", ct);
            log.LogDebug("Opened SMTP connection to {Server}", Name);
            return client;
        }
        catch
        {
            client.Dispose();
            socket.Dispose();
            throw;
        }
    }

    private SmtpClient? TakeIdle()
    {
        lock (_idle)
        {
            while (_idle.TryPop(out var entry))
            {
                if (entry.Client.IsConnected && Environment.TickCount64 - entry.IdleSince < IdleLimit.TotalMilliseconds)
                    return entry.Client;
                Discard(entry.Client);
            }
            return null;
        }
    }

    private void Return(SmtpClient client)
    {
        lock (_idle) _idle.Push((client, Environment.TickCount64));
    }

    private static void Discard(SmtpClient client)
    {
        try { if (client.IsConnected) client.Disconnect(false); } catch (Exception) { /* already broken */ }
        client.Dispose();
    }

    /// <summary>
    /// MailKit's client, measuring a message for <c>SIZE=</c> synchronously: writing to a counting stream needs no I/O, and the
    /// synchronous write does not wait for the message's end (<see cref="EncodedBody.TryHoldEnd"/>), which only its sending may.
    /// </summary>
    internal sealed class Client : SmtpClient
    {
        protected override Task<long> GetSizeAsync(FormatOptions options, MimeMessage message, CancellationToken cancellationToken) =>
            Task.FromResult(GetSize(options, message, cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        List<SmtpClient> clients;
        lock (_idle) { clients = _idle.Select(e => e.Client).ToList(); _idle.Clear(); }
        foreach (var client in clients)
        {
            try { await client.DisconnectAsync(true); } catch (Exception) { /* closing anyway */ }
            client.Dispose();
        }
    }
}
