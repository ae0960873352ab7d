using MimeKit;

namespace NewsletterService.Delivery;

/// <summary>Hands a message to the outside world. Throws MailKit's exceptions; <see cref="SmtpFailure"/> reads them.</summary>
public interface IMailSender
{
    /// <summary>
    /// Sends <paramref name="message"/> to its To addresses with <paramref name="envelopeSender"/> as MAIL FROM.
    /// <paramref name="ct"/> stops waiting (for a connection, a server, the rate limit) but never interrupts a message
    /// once its SMTP transaction has begun: a message started is finished, so it is never half sent and retried.
    /// </summary>
    Task SendAsync(MimeMessage message, MailboxAddress envelopeSender, CancellationToken ct);
}
