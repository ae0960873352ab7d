using System.Security.Cryptography;
using System.Text;
using MimeKit;
using MimeKit.Encodings;
using MimeKit.IO;
using MimeKit.IO.Filters;
using NewsletterService.Rendering;

namespace NewsletterService.Delivery;

/// <summary>
/// A campaign's email as it goes on the wire, built once: the multipart/alternative body with its part headers and
/// both alternatives quoted-printable encoded, cut where the recipient's name and links go. Per recipient only those
/// values are encoded, and the message's body is written piece by piece rather than built and encoded by MimeKit for
/// every recipient. Every piece ends in a soft line break where it does not end a line, and a soft break decodes to
/// nothing, so the joined body decodes to exactly the filled-in text.
/// </summary>
public sealed class EncodedBody
{
    private readonly string _boundary = "=-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
    private readonly byte[][] _parts;
    private readonly (int Slot, bool Html)[] _slots;
    private readonly EmailSkeleton _skeleton;

    private EncodedBody(EmailSkeleton skeleton)
    {
        _skeleton = skeleton;
        // The alternatives' pieces run on from one to the next: the text's last piece ends in the HTML part's headers.
        var text = skeleton.Text.Parts.Select(Encode).ToArray();
        var html = skeleton.Html.Parts.Select(Encode).ToArray();
        text[0] = [.. Ascii(PartHeaders("plain")), .. text[0]];
        html[0] = [.. Ascii($"\r\n{PartHeaders("html")}"), .. html[0]];
        html[^1] = [.. html[^1], .. Ascii($"\r\n--{_boundary}--\r\n")];
        text[^1] = [.. text[^1], .. html[0]];
        _parts = [.. text, .. html[1..]];
        _slots = [.. skeleton.Text.Slots.Select(s => (s, false)), .. skeleton.Html.Slots.Select(s => (s, true))];
    }

    public static EncodedBody Of(EmailSkeleton skeleton) => new(skeleton);

    /// <summary>The body for one recipient: a multipart/alternative of the text and the HTML.</summary>
    public MimeEntity For(RecipientValues recipient)
    {
        string[] text = _skeleton.Values(recipient, html: false), html = _skeleton.Values(recipient, html: true);
        var values = _slots.Select(s => Encode(s.Html ? html[s.Slot] : text[s.Slot])).ToArray();
        return new Body(new ContentType("multipart", "alternative") { Boundary = _boundary }, _parts, values);
    }

    /// <summary>
    /// Makes a message built here wait for <paramref name="until"/> at the end of its body when it is sent: the server
    /// gets all but the final dot meanwhile, and accepts the message only after it. False for any other message.
    /// </summary>
    public static bool TryHoldEnd(MimeMessage message, Task until)
    {
        if (message.Body is not Body body) return false;
        body.End = until;
        return true;
    }

    private string PartHeaders(string subtype) =>
        $"--{_boundary}\r\nContent-Type: text/{subtype}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";

    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    /// <summary>Quoted-printable for UTF-8 text, lines ending in CRLF.</summary>
    private static byte[] Encode(string text)
    {
        var input = Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\n"));
        // MimeKit's encoder can overshoot its line length by the two characters of a space it carries over; 72 keeps
        // every line within quoted-printable's 76.
        var encoder = new QuotedPrintableEncoder(72);
        var output = new byte[input.Length * 4 + 16]; // at most 3 per byte and a soft break per 69 (its estimate assumes 76)
        var encoded = Encoding.ASCII.GetString(output, 0, encoder.Flush(input, 0, input.Length, output));
        return Encoding.ASCII.GetBytes(encoded.Replace("\n", "\r\n"));
    }

    /// <summary>The entity MimeKit writes: its Content-Type header (written by the message) and the pieces in turn.</summary>
    private sealed class Body(ContentType type, byte[][] parts, byte[][] values) : MimeEntity(type)
    {
        /// <summary>What an asynchronous write (sending) waits for after the last piece; its outcome is not this message's.</summary>
        public Task End { get; set; } = Task.CompletedTask;

        public override void Prepare(EncodingConstraint constraint, int maxLineLength = 78) { } // 7-bit already

        public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken ct = default)
        {
            base.WriteTo(options, stream, contentOnly, ct);
            var output = Output(options, stream);
            for (var i = 0; i < parts.Length; i++)
            {
                output.Write(parts[i]);
                if (i < values.Length) output.Write(values[i]);
            }
            output.Flush();
        }

        public override async Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken ct = default)
        {
            await base.WriteToAsync(options, stream, contentOnly, ct);
            var output = Output(options, stream);
            for (var i = 0; i < parts.Length; i++)
            {
                await output.WriteAsync(parts[i], ct);
                if (i < values.Length) await output.WriteAsync(values[i], ct);
            }
            await output.FlushAsync(ct);
            await End.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        /// <summary>The pieces have CRLF line ends, which is what SMTP and DKIM ask for; other callers get LF.</summary>
        private static Stream Output(FormatOptions options, Stream stream)
        {
            if (options.NewLineFormat == NewLineFormat.Dos) return stream;
            var filtered = new FilteredStream(stream);
            filtered.Add(new Dos2UnixFilter());
            return filtered;
        }
    }
}
