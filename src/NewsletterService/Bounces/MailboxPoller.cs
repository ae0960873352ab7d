using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Data;

namespace NewsletterService.Bounces;

/// <summary>
/// The recurring job that reads every configured mailbox (<c>Mailboxes:PollInterval</c>), each under its lease, and keeps
/// what the Bounces page shows: when it was read, how many mails were acted on, the last error.
/// </summary>
public sealed class MailboxPoller(
    IOptions<MailboxesOptions> options, MailboxProcessor processor, MailboxLease lease, NewsletterDb db, TimeProvider time,
    ILogger<MailboxPoller> log)
{
    public const string RecurringJobId = "mailboxes";

    [AutomaticRetry(Attempts = 0)] // the next poll is the retry
    public async Task PollAllAsync(CancellationToken ct)
    {
        foreach (var (name, mailbox) in options.Value.Configured()) await PollAsync(name, mailbox, ct);
    }

    /// <summary>Reads one mailbox; false when another process holds its lease (and reads it now).</summary>
    public async Task<bool> PollAsync(string name, MailboxSettings mailbox, CancellationToken ct)
    {
        var holder = Guid.NewGuid().ToString("N");
        if (!await lease.TryAcquireAsync(name, holder, ct))
        {
            log.LogInformation("Mailbox {Mailbox} is being read by another process", name);
            return false;
        }
        string? error = null;
        var acted = 0;
        try
        {
            await using var reader = await MailboxReaders.OpenAsync(mailbox, ct);
            acted = await processor.ProcessAsync(name, reader, ct, lease.Held(name, holder));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Mailbox {Mailbox} at {Host}: reading failed", name, mailbox.Host);
            error = e.Message.Length > 1000 ? e.Message[..1000] : e.Message;
        }
        finally
        {
            var now = time.GetUtcNow().UtcDateTime;
            await db.MailboxStates.Where(m => m.Name == name).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.LastPollAt, now)
                .SetProperty(m => m.Processed, m => m.Processed + acted)
                .SetProperty(m => m.LastError, error), CancellationToken.None);
            await lease.ReleaseAsync(name, holder, CancellationToken.None);
        }
        return true;
    }
}
