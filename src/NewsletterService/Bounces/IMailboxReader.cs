using MimeKit;

namespace NewsletterService.Bounces;

/// <summary>
/// One open mailbox, IMAP or POP3: the mails in it, each read, then finished: a handled mail leaves the folder (IMAP: moved to
/// <c>Processed</c>; POP3: deleted), any other is left for a human (IMAP: moved to <c>Unprocessed</c>; POP3: kept).
/// </summary>
public interface IMailboxReader : IAsyncDisposable
{
    Task<IReadOnlyList<string>> ListAsync(CancellationToken ct);
    Task<MimeMessage> ReadAsync(string id, CancellationToken ct);
    Task FinishAsync(string id, bool handled, CancellationToken ct);
}

public static class MailboxReaders
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Connects and logs in to <paramref name="mailbox"/> with its protocol.</summary>
    public static async Task<IMailboxReader> OpenAsync(MailboxSettings mailbox, CancellationToken ct) => mailbox.Protocol switch
    {
        MailboxProtocol.Pop3 => await Pop3MailboxReader.OpenAsync(mailbox, ct),
        _ => await ImapMailboxReader.OpenAsync(mailbox, ct),
    };

    internal static async Task LogInAsync(MailKit.MailService client, MailboxSettings mailbox, CancellationToken ct)
    {
        client.Timeout = (int)Timeout.TotalMilliseconds;
        await client.ConnectAsync(mailbox.Host!, mailbox.Port, mailbox.MailKitSecurity(), ct);
        await client.AuthenticateAsync(mailbox.Username ?? "", mailbox.Password ?? "", ct);
    }
}
