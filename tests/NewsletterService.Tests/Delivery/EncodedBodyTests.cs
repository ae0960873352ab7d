using MimeKit;
using NewsletterService.Delivery;
using NewsletterService.Rendering;

namespace NewsletterService.Tests.Delivery;

/// <summary>
/// A campaign body is encoded once and per recipient only the values are spliced in: it must decode to the filled-in text.
/// </summary>
public sealed class EncodedBodyTests
{
    private static readonly FormatOptions Smtp = new() { NewLineFormat = NewLineFormat.Dos };
    private static readonly string LongLine = string.Concat(Enumerable.Repeat("Harbour café = quay ", 12));

    // Placeholders mid-line, after spaces and '=', on long lines, at the start and at the end.
    private static readonly EmailSkeleton Skeleton = EmailSkeleton.Parse(new EmailBody(
        Html: $"<p>Dear {EmailSlots.Name},</p>\n<p>{LongLine}<a href=\"{EmailSlots.UnsubscribeUrl}\">leave</a> {LongLine}</p>\n" +
              $"<a href=\"{EmailSlots.PreferencesUrl}\">{EmailSlots.Name} =</a>",
        Text: $"{EmailSlots.Name} {LongLine}\nLeave: {EmailSlots.UnsubscribeUrl}\n\t \nPreferences: {EmailSlots.PreferencesUrl}"));

    [Theory]
    [InlineData("Zoë O'Brien-Łukasiewicz <&> = ", NewLineFormat.Dos)]
    [InlineData("", NewLineFormat.Dos)]
    [InlineData("Zoë", NewLineFormat.Unix)]
    public void Body_DecodesToTheFilledInText_ForEveryRecipient(string name, NewLineFormat lineEnds)
    {
        var recipient = new RecipientValues(name, "https://news.example/unsubscribe/AbC-12_x?a=1&b=2",
            "https://news.example/preferences/Zz9");
        var expected = Skeleton.Fill(recipient);

        var parts = RoundTrip(EncodedBody.Of(Skeleton).For(recipient), lineEnds).OfType<TextPart>().ToList();

        Assert.Equal(expected.Text.ReplaceLineEndings("\n"), parts.Single(p => p.IsPlain).Text.ReplaceLineEndings("\n"));
        Assert.Equal(expected.Html.ReplaceLineEndings("\n"), parts.Single(p => p.IsHtml).Text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Body_KeepsEveryLineWithinTheQuotedPrintableLimit()
    {
        var recipient = new RecipientValues(new string('ä', 120), "https://news.example/u/" + new string('x', 200),
            "https://news.example/p");

        var wire = Wire(EncodedBody.Of(Skeleton).For(recipient));

        Assert.All(wire.Split("\r\n"), line => Assert.True(line.Length <= 76, $"{line.Length} characters: {line}"));
    }

    [Fact]
    public async Task HeldMessage_WritesItsWholeBody_ButEndsOnlyWhenItsHoldCompletes()
    {
        var message = new MimeMessage { Subject = "s", Body = EncodedBody.Of(Skeleton).For(new RecipientValues("Zoë", "u", "p")) };
        var hold = new TaskCompletionSource();
        Assert.True(EncodedBody.TryHoldEnd(message, hold.Task));
        using var stream = new MemoryStream();

        // A memory stream completes every write at once: only the hold can keep the write from ending.
        var writing = message.WriteToAsync(Smtp, stream);

        Assert.EndsWith($"--{message.Body.ContentType.Boundary}--\r\n", System.Text.Encoding.ASCII.GetString(stream.ToArray()));
        Assert.False(writing.IsCompleted, "The message ended before its hold completed.");
        hold.SetResult();
        await writing;
    }

    [Fact]
    public async Task HeldMessage_Ends_WhenItsHoldFails()
    {
        var message = new MimeMessage { Subject = "s", Body = EncodedBody.Of(Skeleton).For(new RecipientValues("Zoë", "u", "p")) };
        EncodedBody.TryHoldEnd(message, Task.FromException(new InvalidOperationException("the previous commit failed")));
        using var stream = new MemoryStream();

        await message.WriteToAsync(Smtp, stream);

        Assert.EndsWith($"--{message.Body.ContentType.Boundary}--\r\n", System.Text.Encoding.ASCII.GetString(stream.ToArray()));
    }

    [Fact]
    public void TryHoldEnd_RefusesAMessageNotBuiltHere()
    {
        var message = new MimeMessage { Body = new TextPart("plain") { Text = "hello" } };

        Assert.False(EncodedBody.TryHoldEnd(message, Task.CompletedTask));
    }

    private static string Wire(MimeEntity body, NewLineFormat lineEnds = NewLineFormat.Dos)
    {
        var message = new MimeMessage { Subject = "s", Body = body };
        using var stream = new MemoryStream();
        message.WriteTo(new FormatOptions { NewLineFormat = lineEnds }, stream);
        return System.Text.Encoding.ASCII.GetString(stream.ToArray());
    }

    private static IEnumerable<MimeEntity> RoundTrip(MimeEntity body, NewLineFormat lineEnds)
    {
        var wire = Wire(body, lineEnds);
        Assert.Equal(lineEnds == NewLineFormat.Unix, !wire.Contains('\r'));
        using var stream = new MemoryStream(System.Text.Encoding.ASCII.GetBytes(wire));
        return MimeMessage.Load(stream).BodyParts;
    }
}
