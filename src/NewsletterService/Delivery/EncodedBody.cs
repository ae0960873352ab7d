using System.Text;
using MimeKit;
using MimeKit.Encodings;
using NewsletterService.Rendering;

namespace NewsletterService.Delivery;

/// <summary>
/// A campaign's email encoded for the wire once (quoted-printable, as MimeKit would): per recipient only the name and
/// the links are encoded and put between the encoded pieces, so a message's body is copied rather than ~8 KB of text
/// encoded again for every recipient. Every piece ends in a soft line break where it does not end a line, and a soft
/// break decodes to nothing, so the joined body decodes to exactly the filled-in text.
/// </summary>
public sealed class EncodedBody
{
    private readonly EncodedText _text, _html;

    private EncodedBody(EmailSkeleton skeleton) { _text = new(skeleton.Text); _html = new(skeleton.Html); }

    public static EncodedBody Of(EmailSkeleton skeleton) => new(skeleton);

    /// <summary>The text and HTML alternatives for one recipient.</summary>
    public MimeEntity For(RecipientValues recipient) => new MultipartAlternative
    {
        Part("plain", _text.Join(EmailSkeleton.Values(recipient, html: false))),
        Part("html", _html.Join(EmailSkeleton.Values(recipient, html: true))),
    };

    private static TextPart Part(string subtype, byte[] encoded)
    {
        var part = new TextPart(subtype)
        {
            ContentTransferEncoding = ContentEncoding.QuotedPrintable,
            Content = new MimeContent(new MemoryStream(encoded, writable: false), ContentEncoding.QuotedPrintable),
        };
        part.ContentType.Charset = "utf-8";
        return part;
    }

    /// <summary>Quoted-printable for UTF-8 text, lines ending in LF (MimeKit writes them as CRLF).</summary>
    private static byte[] Encode(string text)
    {
        var input = Encoding.UTF8.GetBytes(text);
        // MimeKit's encoder can overshoot its line length by the two characters of a space it carries over; 72 keeps
        // every line within quoted-printable's 76.
        var encoder = new QuotedPrintableEncoder(72);
        var output = new byte[input.Length * 4 + 16]; // at most 3 per byte and a soft break per 69 (its estimate assumes 76)
        return output[..encoder.Flush(input, 0, input.Length, output)];
    }

    private sealed class EncodedText(CutText cut)
    {
        private readonly byte[][] _parts = cut.Parts.Select(Encode).ToArray();

        public byte[] Join(string[] values)
        {
            var encoded = cut.Slots.Select(slot => Encode(values[slot])).ToArray();
            var joined = new byte[_parts.Sum(p => p.Length) + encoded.Sum(v => v.Length)];
            var at = 0;
            for (var i = 0; i < _parts.Length; i++)
            {
                _parts[i].CopyTo(joined, at);
                at += _parts[i].Length;
                if (i >= encoded.Length) continue;
                encoded[i].CopyTo(joined, at);
                at += encoded[i].Length;
            }
            return joined;
        }
    }
}
