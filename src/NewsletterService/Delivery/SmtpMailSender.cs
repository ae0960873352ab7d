using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace NewsletterService.Delivery;

/// <summary>
/// MailKit over a pool of at most <c>Smtp:MaxConnections</c> open, reused connections. Each connection is its own
/// socket with Nagle off (NoDelay): without it every message waits ~45 ms for delayed ACKs, even on loopback.
/// </summary>
public sealed class SmtpMailSender(IOptions<SmtpOptions> options, ILogger<SmtpMailSender> log) : IMailSender, IAsyncDisposable
{
    private static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(60);
    private readonly SmtpOptions _smtp = options.Value;
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConnections);
    private readonly Stack<(SmtpClient Client, long IdleSince)> _idle = new();

    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        try
        {
            if (TakeIdle() is { } idle)
            {
                try
                {
                    await SendOnAsync(idle, message, ct);
                    return;
                }
                catch (Exception e) when (IsStaleConnection(e))
                {
                    // The server dropped an idle connection; try once more on a fresh one.
                    log.LogDebug("Reused SMTP connection was stale: {Error}", e.Message);
                }
            }
            await SendOnAsync(await ConnectAsync(ct), message, ct);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task SendOnAsync(SmtpClient client, MimeMessage message, CancellationToken ct)
    {
        try
        {
            await client.SendAsync(message, ct);
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

    private static bool IsStaleConnection(Exception e) =>
        e is ServiceNotConnectedException or IOException or SmtpProtocolException or SocketException;

    private async Task<SmtpClient> ConnectAsync(CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var client = new SmtpClient { Timeout = (int)_smtp.Timeout.TotalMilliseconds };
        try
        {
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            connectTimeout.CancelAfter(_smtp.Timeout);
            await socket.ConnectAsync(_smtp.Host, _smtp.Port, connectTimeout.Token);
            await client.ConnectAsync(socket, _smtp.Host, _smtp.Port, SecureSocketOptions(), ct);
            if (!string.IsNullOrEmpty(_smtp.Username)) await client.AuthenticateAsync(_smtp.Username, _smtp.Password ?? "", ct);
            log.LogDebug("Opened SMTP connection to {Host}:{Port}", _smtp.Host, _smtp.Port);
            return client;
        }
        catch
        {
            client.Dispose();
            socket.Dispose();
            throw;
        }
    }

    private SecureSocketOptions SecureSocketOptions() => _smtp.SecureSocket switch
    {
        SmtpSecurity.None => MailKit.Security.SecureSocketOptions.None,
        SmtpSecurity.StartTls => MailKit.Security.SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => MailKit.Security.SecureSocketOptions.SslOnConnect,
        _ => MailKit.Security.SecureSocketOptions.Auto,
    };

    private SmtpClient? TakeIdle()
    {
        lock (_idle)
        {
            while (_idle.TryPop(out var entry))
            {
                if (entry.Client.IsConnected && Environment.TickCount64 - entry.IdleSince < IdleLimit.TotalMilliseconds) return entry.Client;
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
