using MailKit;
using Microsoft.Extensions.Options;
using MimeKit;

namespace NewsletterService.Delivery;

/// <summary>
/// Sends over every configured SMTP server in turn, within the limits that all processes keep together
/// (<c>Smtp:MessagesPerSecond</c>, <c>Smtp:WindowMessages</c> per <c>Smtp:WindowDuration</c>: <see cref="SendThrottles"/>).
/// A server that fails (connection, log-in, a refusal that is not about the recipient or the message) is left alone
/// for <c>Smtp:ServerRetryAfter</c> while the others carry the mail, and the message goes to the next one at once.
/// </summary>
public sealed class SmtpMailSender : IMailSender, IAsyncDisposable
{
    private readonly SmtpServerPool[] _servers;
    private readonly TimeSpan _retryAfter;
    private readonly ILogger<SmtpMailSender> _log;
    private int _next;

    public SmtpMailSender(IOptions<SmtpOptions> options, SendThrottles throttles, ILogger<SmtpMailSender> log)
    {
        var smtp = options.Value;
        // Each server waits for the overall limits (the window's wait can be long), then for its own rate, whose permits last
        // a tenth of a second. A message that moves on to the next server counts again there.
        var overall = throttles.Overall();
        _servers = smtp.EffectiveServers
            .Select(s => new SmtpServerPool(
                s, smtp.Timeout, new[] { overall, throttles.ForServer(s) }.OfType<ISendThrottle>().ToArray(), log))
            .ToArray();
        _retryAfter = smtp.ServerRetryAfter;
        _log = log;
    }

    public async Task SendAsync(MimeMessage message, MailboxAddress envelopeSender, CancellationToken ct)
    {
        var first = (int)((uint)Interlocked.Increment(ref _next) % _servers.Length);
        Exception? failure = null;
        for (var i = 0; i < _servers.Length; i++)
        {
            var server = _servers[(first + i) % _servers.Length];
            if (server.DownUntil > Environment.TickCount64) continue;
            if (await TryAsync(server) is not { } e) return;
            failure = e;
        }
        if (failure is not null) throw failure;

        // Every server is resting: wait for the first to be due, then try it once.
        var soonest = _servers.MinBy(s => s.DownUntil)!;
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, soonest.DownUntil - Environment.TickCount64)), ct);
        if (await TryAsync(soonest) is { } last) throw last;

        async Task<Exception?> TryAsync(SmtpServerPool server)
        {
            try
            {
                await server.SendAsync(message, envelopeSender, ct);
                server.MarkUp();
                return null;
            }
            catch (Exception e) when (SmtpFailure.TryClassify(e, out var f) && f.ServerFault)
            {
                _log.LogWarning("SMTP server {Server} failed, leaving it alone for {RetryAfter}: {Reason}",
                    server.Name, _retryAfter, f.Reason);
                server.MarkDown(_retryAfter);
                return e;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers) await server.DisposeAsync();
    }
}
