using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using NewsletterService.Subscriptions;
using NewsletterService.Tracking;

namespace NewsletterService.Delivery;

/// <summary>
/// One reader's mail of a campaign, sent as a batch sends it (<see cref="ReaderSender"/>, a pool of MailKit connections,
/// the ledger's writer) over a loopback socket to an SMTP server played in this process, and recorded for a delivery
/// that does not exist, so nothing changes. The JIT compiles that code fully optimised on first use, which cost the
/// first campaign after a start ~0.3 s on its first message. Nothing reaches the configured SMTP servers.
/// </summary>
public static class SmtpRehearsal
{
    private const long Nobody = -1;

    /// <summary>Returns the result the ledger was given and how many messages the played server accepted.</summary>
    public static async Task<(DeliveryResult Result, int Accepted)> RunAsync(
        IServiceProvider services, CampaignContent content, CancellationToken ct)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var played = new ScriptedServer();
        var serving = ServeAsync(listener, played, stop.Token);
        var smtp = Options.Create(new SmtpOptions
        {
            Host = IPAddress.Loopback.ToString(), Port = ((IPEndPoint)listener.LocalEndpoint).Port, SecureSocket = SmtpSecurity.None,
            MaxConnections = 1,
        });
        var time = services.GetRequiredService<TimeProvider>();
        var throttles = new SendThrottles(smtp, services.GetRequiredService<SendRateStore>(), time,
            services.GetRequiredService<ILogger<SharedSendThrottle>>()); // none: the played server has no limits
        DeliveryResult result;
        try
        {
            await using var sender = new SmtpMailSender(smtp, throttles, services.GetRequiredService<ILogger<SmtpMailSender>>());
            var readers = new ReaderSender(sender, new SendSlots(smtp), services.GetRequiredService<MessageFactory>(),
                services.GetRequiredService<MailTracking>(), services.GetRequiredService<IOptions<DeliveryOptions>>(), time);
            await using var ledger = services.GetRequiredService<LedgerWriter>().Open();
            var reader = new Recipient(
                Nobody, Nobody, "reader@rehearsal.invalid", "Rehearsal Reader", SubscriberStatus.Confirmed, 0, null, false);
            result = await readers.SendAsync(new CampaignTracking(Nobody, false, false), reader, content, ledger, ct);
        }
        finally
        {
            // The session is over once the sender has closed its connection, or the rehearsal failed.
            await stop.CancelAsync();
            await serving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        return (result, played.Accepted);
    }

    /// <summary>Plays the server of the one session the listener accepts, until the client closes it.</summary>
    private static async Task ServeAsync(TcpListener listener, ScriptedServer server, CancellationToken ct)
    {
        using var socket = await listener.AcceptSocketAsync(ct);
        await using var stream = new NetworkStream(socket);
        var buffer = new byte[8192];
        for (var n = -1; n != 0; n = await stream.ReadAsync(buffer, ct))
        {
            if (n > 0) server.Write(buffer.AsSpan(0, n));
            for (int r; (r = server.Read(buffer)) > 0;) await stream.WriteAsync(buffer.AsMemory(0, r), ct);
        }
    }

    /// <summary>The server's side of an SMTP session that goes well, as Postfix answers it.</summary>
    private sealed class ScriptedServer
    {
        private readonly List<byte> _line = [];
        private byte[] _replies = [];
        private int _read;
        private bool _inData;

        public int Accepted { get; private set; }

        public ScriptedServer() => Reply("220 rehearsal.invalid ESMTP");

        private void Reply(string lines) => _replies = [.. _replies.AsSpan(_read), .. Encoding.ASCII.GetBytes(lines + "\r\n")];

        public int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, _replies.Length - _read);
            _replies.AsSpan(_read, n).CopyTo(buffer);
            _read += n;
            if (_read == _replies.Length) (_replies, _read) = ([], 0);
            return n;
        }

        public void Write(ReadOnlySpan<byte> buffer)
        {
            foreach (var b in buffer)
            {
                _line.Add(b);
                if (b != '\n') continue;
                Answer(Encoding.ASCII.GetString([.. _line]).TrimEnd('\r', '\n'));
                _line.Clear();
            }
        }

        private void Answer(string line)
        {
            if (_inData)
            {
                if (line != ".") return;
                _inData = false;
                Accepted++;
                Reply("250 2.0.0 Ok: queued as REHEARSAL");
                return;
            }
            var verb = line.Split(' ')[0].ToUpperInvariant();
            if (verb == "DATA") _inData = true;
            Reply(verb switch
            {
                "EHLO" => "250-rehearsal.invalid\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-ENHANCEDSTATUSCODES\r\n250 8BITMIME",
                "MAIL" or "RCPT" or "RSET" or "NOOP" => "250 2.0.0 Ok",
                "DATA" => "354 End data with <CR><LF>.<CR><LF>",
                "QUIT" => "221 2.0.0 Bye",
                _ => "502 5.5.2 Error: command not recognized",
            });
        }
    }
}
