using System.ComponentModel.DataAnnotations;
using MailKit.Security;
using NewsletterService.Delivery;

namespace NewsletterService.Bounces;

public enum MailboxProtocol { Imap, Pop3 }

/// <summary>One mailbox the service reads: where it is, how to log in, which folder (IMAP). No host: not read.</summary>
public sealed class MailboxSettings
{
    public string? Host { get; set; }

    /// <summary>0: the protocol's port for <see cref="SecureSocket"/> (IMAP 143/993, POP3 110/995).</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    public MailboxProtocol Protocol { get; set; } = MailboxProtocol.Imap;
    public SmtpSecurity SecureSocket { get; set; } = SmtpSecurity.Auto;
    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>The IMAP folder read; handled mail moves to <c>Processed</c>, the rest to <c>Unprocessed</c> beside it.</summary>
    public string Folder { get; set; } = "INBOX";

    public bool Configured => !string.IsNullOrWhiteSpace(Host);

    public SecureSocketOptions MailKitSecurity() => (SecureSocketOptions)SecureSocket;

    /// <summary>Two names for one mailbox (bounces and unsubscribes may share one) are read once.</summary>
    public string Identity => $"{Protocol}://{Username}@{Host}:{Port}/{Folder}".ToLowerInvariant();
}

/// <summary>
/// Section <c>Mailboxes</c>: the mailbox bounces and complaints come back to (the VERP envelope sender's), the one readers'
/// mailed unsubscribes go to (may be the same), and how often both are read.
/// </summary>
public sealed class MailboxesOptions : IValidatableObject
{
    public const string Section = "Mailboxes";

    public MailboxSettings Bounces { get; set; } = new();
    public MailboxSettings Unsubscribes { get; set; } = new();

    /// <summary>Whole minutes dividing an hour (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60): a cron schedule repeats it evenly.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Each configured mailbox once, by the first name it has.</summary>
    public IEnumerable<(string Name, MailboxSettings Settings)> Configured() =>
        new[] { (nameof(Bounces), Bounces), (nameof(Unsubscribes), Unsubscribes) }
            .Where(m => m.Item2.Configured).DistinctBy(m => m.Item2.Identity);

    public string Cron => PollInterval.TotalMinutes >= 60 ? "0 * * * *" : $"*/{(int)PollInterval.TotalMinutes} * * * *";

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (PollInterval < TimeSpan.FromMinutes(1) || PollInterval > TimeSpan.FromHours(1)
            || PollInterval.Ticks % TimeSpan.TicksPerMinute != 0 || 60 % (int)PollInterval.TotalMinutes != 0)
        {
            yield return new ValidationResult(
                "PollInterval must be whole minutes dividing an hour (00:01:00 to 01:00:00).", [nameof(PollInterval)]);
        }
        foreach (var (name, mailbox) in new[] { (nameof(Bounces), Bounces), (nameof(Unsubscribes), Unsubscribes) })
        {
            if (!mailbox.Configured) continue;
            if (string.IsNullOrEmpty(mailbox.Username) || string.IsNullOrEmpty(mailbox.Password))
                yield return new ValidationResult($"{name}: Username and Password are needed with Host.", [$"{name}.Username"]);
            if (mailbox.Port is < 0 or > 65535) yield return new ValidationResult($"{name}: Port must be 0 to 65535.", [$"{name}.Port"]);
        }
    }
}
