using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;

namespace NewsletterService.Delivery;

/// <summary>DKIM-signs messages when <c>Dkim:*</c> is configured; otherwise leaves them as they are.</summary>
public sealed class MessageSigner
{
    public static readonly HeaderId[] SignedHeaders =
    [
        HeaderId.From, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId, HeaderId.To, HeaderId.ListUnsubscribe,
        HeaderId.ListUnsubscribePost,
    ];

    private readonly DkimSigner? _signer;

    public MessageSigner(IOptions<DkimOptions> options)
    {
        var dkim = options.Value;
        if (!dkim.Enabled) return;
        _signer = new DkimSigner(dkim.PrivateKeyPath!, dkim.Domain!, dkim.Selector!, DkimSignatureAlgorithm.RsaSha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
    }

    public void Sign(MimeMessage message)
    {
        if (_signer is null) return;
        // Encode for 7-bit transport first, so that no server or client re-encodes (and breaks) the signed body.
        message.Prepare(EncodingConstraint.SevenBit);
        _signer.Sign(message, SignedHeaders.Where(h => message.Headers.Contains(h)).ToList());
    }
}
