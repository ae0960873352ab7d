using System.Text;
using MailKit.Security;

namespace NewsletterService.Delivery;

/// <summary>
/// One reader's mail of a campaign, built and sent as a batch builds and sends it, to an SMTP server played in memory:
/// the JIT compiles MimeKit's and MailKit's code fully optimised on first use, which cost the first campaign after a
/// start ~0.35 s on its first message. Nothing reaches the configured SMTP servers.
/// </summary>
public static class SmtpRehearsal
{
    private const long NoCampaign = -1;

    /// <summary>Returns the played server's answer to the message.</summary>
    public static async Task<string> RunAsync(MessageFactory messages, CampaignContent content, CancellationToken ct)
    {
        var reader = messages.RecipientLinks(NoCampaign, "Rehearsal Reader", NoCampaign);
        var message = messages.Create(content.Subject, content.Email, "reader@rehearsal.invalid", reader, NoCampaign, 0);
        EncodedBody.TryHoldEnd(message, Task.CompletedTask);
        using var client = new SmtpServerPool.Client();
        await client.ConnectAsync(new ScriptedServer(), "rehearsal.invalid", 25, SecureSocketOptions.None, ct);
        var answer = await client.SendAsync(message, messages.EnvelopeSender(NoCampaign, 0), message.To.Mailboxes, ct);
        await client.DisconnectAsync(quit: true, ct);
        return answer;
    }

    /// <summary>The server's side of an SMTP session that goes well, as Postfix answers it; end of stream if asked out of turn.</summary>
    private sealed class ScriptedServer : Stream
    {
        private readonly List<byte> _line = [];
        private byte[] _replies = [];
        private int _read;
        private bool _inData;

        public ScriptedServer() => Reply("220 rehearsal.invalid ESMTP");

        private void Reply(string lines) => _replies = [.. _replies.AsSpan(_read), .. Encoding.ASCII.GetBytes(lines + "\r\n")];

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, _replies.Length - _read);
            _replies.AsSpan(_read, n).CopyTo(buffer);
            _read += n;
            if (_read == _replies.Length) (_replies, _read) = ([], 0);
            return n;
        }

        public override void Write(ReadOnlySpan<byte> buffer)
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

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
