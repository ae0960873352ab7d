using Microsoft.Extensions.Options;
using NewsletterService.Delivery;
using NewsletterService.Infrastructure;
using NewsletterService.Rendering;

namespace NewsletterService.Accounts;

/// <summary>
/// Sends mails to dashboard accounts (invitations, password resets, approval requests and answers) through the same SMTP
/// server as the newsletter, rendered with <c>templates/Account.cshtml</c>. A permanent refusal (5xx) is logged, not retried;
/// a temporary failure throws, so that the Hangfire job that called this is retried.
/// </summary>
public sealed class AccountMailer(
    EmailComposer composer, MessageFactory messages, IMailSender sender, IOptions<NewsletterOptions> newsletter, ILogger<AccountMailer> log)
{
    /// <summary>An absolute address of a dashboard page, for a mail's button.</summary>
    public string Url(string path) => newsletter.Value.PublicUrl(path);

    public async Task SendAsync(
        string to, string subject, IReadOnlyList<string> paragraphs, MailAction? action, CancellationToken ct,
        string? quote = null, string? closing = null)
    {
        var options = newsletter.Value;
        var body = await composer.ComposeAsync("Account", new AccountEmail
        {
            NewsletterName = options.FromName,
            BaseUrl = options.BaseUrl,
            Preheader = paragraphs.FirstOrDefault(),
            Subject = subject,
            Paragraphs = paragraphs,
            Quote = quote,
            Action = action,
            Closing = closing,
        }, ct);
        try
        {
            await sender.SendAsync(messages.Create(subject, body, to, null), messages.Sender, ct);
        }
        catch (Exception e) when (SmtpFailure.TryClassify(e, out var failure) && failure.Permanent)
        {
            log.LogWarning("Mail {Subject} to account {Email} refused: {Reason}", subject, to, failure.ShortReason);
        }
    }
}
