using MimeKit;

namespace NewsletterService.Delivery;

/// <summary>Hands a message to the outside world. Throws MailKit's exceptions; <see cref="SmtpFailure"/> reads them.</summary>
public interface IMailSender
{
    Task SendAsync(MimeMessage message, CancellationToken ct);
}
