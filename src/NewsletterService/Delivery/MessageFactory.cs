using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Utils;
using NewsletterService.Infrastructure;
using NewsletterService.Rendering;
using NewsletterService.Security;

namespace NewsletterService.Delivery;

/// <summary>Builds the MIME message for one recipient, with the headers bulk senders must carry (RFC 2369, RFC 8058).</summary>
public sealed class MessageFactory(IOptions<NewsletterOptions> options, LinkTokens tokens, MessageSigner signer, TimeProvider time)
{
    private readonly NewsletterOptions _newsletter = options.Value;
    private readonly string _domain = options.Value.FromAddress[(options.Value.FromAddress.IndexOf('@') + 1)..];

    /// <summary>
    /// The links a subscriber's mail of a campaign carries to leave or to manage their subscription; the unsubscribe token names
    /// the campaign, for its report.
    /// </summary>
    public RecipientValues RecipientLinks(long subscriberId, string? name, long campaignId) => new(
        name,
        _newsletter.PublicUrl("/unsubscribe/" + tokens.CreateForCampaign(TokenPurpose.Unsubscribe, subscriberId, campaignId)),
        _newsletter.PublicUrl("/preferences/" + tokens.Create(TokenPurpose.Preferences, subscriberId)));

    /// <summary>Each campaign email's encoded body, kept while the email is (see <see cref="EncodedBody"/>).</summary>
    private readonly ConditionalWeakTable<EmailSkeleton, EncodedBody> _encoded = new();

    /// <summary>The headers every mail of a campaign shares, keyed by its subject; each message gets copies.</summary>
    private readonly ConditionalWeakTable<string, Header[]> _shared = new();

    /// <summary>
    /// A subscriber's mail of a campaign: From, To, Subject, Date, a Message-ID naming the delivery (<see cref="CampaignMessageId"/>),
    /// List-Id and one-click List-Unsubscribe.
    /// </summary>
    public MimeMessage Create(string subject, PersonalisedEmail email, string address, RecipientValues recipient, long campaignId,
        long deliveryId)
    {
        // Built from the shared headers: MimeKit's default constructor makes a Date and a Message-ID, replaced below, and
        // each header set on a message is parsed again into its address lists.
        var message = new MimeMessage(_shared.GetValue(subject, SharedHeaders).Select(h => h.Clone()));
        message.Date = time.GetUtcNow();
        message.MessageId = CampaignMessageId.Create(campaignId, deliveryId, _domain);
        message.To.Add(new MailboxAddress(recipient.Name ?? "", address));
        var token = recipient.UnsubscribeUrl[(recipient.UnsubscribeUrl.LastIndexOf('/') + 1)..];
        message.Headers.Add("List-Unsubscribe",
            $"<{recipient.UnsubscribeUrl}>, <mailto:{_newsletter.UnsubscribeAddress}?subject=unsubscribe%20{token}>");
        message.Body = _encoded.GetValue(email.SkeletonFor(recipient), EncodedBody.Of).For(recipient);
        signer.Sign(message);
        return message;
    }

    private Header[] SharedHeaders(string subject)
    {
        var prototype = new MimeMessage { Subject = subject };
        prototype.From.Add(new MailboxAddress(_newsletter.FromName, _newsletter.FromAddress));
        prototype.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        prototype.Headers.Add("List-Id", $"{_newsletter.FromName} <newsletter.{_domain}>");
        return prototype.Headers
            .Where(h => h.Id is HeaderId.From or HeaderId.Subject or HeaderId.ListUnsubscribePost or HeaderId.ListId)
            .ToArray();
    }

    /// <summary>A transactional mail (confirmation, test send): no list headers.</summary>
    public MimeMessage Create(string subject, EmailBody body, string email, string? name)
    {
        var message = Build(subject, new MultipartAlternative
        {
            // Encoding chosen here, so MimeKit need not scan the body for the best one.
            new TextPart("plain") { Text = body.Text, ContentTransferEncoding = ContentEncoding.QuotedPrintable },
            new TextPart("html") { Text = body.Html, ContentTransferEncoding = ContentEncoding.QuotedPrintable },
        }, email, name);
        signer.Sign(message);
        return message;
    }

    /// <summary>
    /// MAIL FROM for a campaign's message: <c>bounces+c&lt;campaign&gt;-d&lt;delivery&gt;@Newsletter:BounceDomain</c> (VERP), so that a
    /// bounce names the delivery it is about; the sender's address when no bounce domain is set.
    /// </summary>
    public MailboxAddress EnvelopeSender(long campaignId, long deliveryId) => _newsletter.BounceDomain is { Length: > 0 } domain
        ? new MailboxAddress("", $"bounces+c{campaignId}-d{deliveryId}@{domain}")
        : Sender;

    /// <summary>MAIL FROM for transactional mail (confirmations, test sends): the sender's address.</summary>
    public MailboxAddress Sender => new("", _newsletter.FromAddress);

    private MimeMessage Build(string subject, MimeEntity body, string email, string? name)
    {
        var message = new MimeMessage
        {
            Subject = subject, Date = time.GetUtcNow(), MessageId = MimeUtils.GenerateMessageId(_domain), Body = body,
        };
        message.From.Add(new MailboxAddress(_newsletter.FromName, _newsletter.FromAddress));
        message.To.Add(new MailboxAddress(name ?? "", email));
        return message;
    }
}
