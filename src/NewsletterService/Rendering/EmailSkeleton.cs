using System.Text.Encodings.Web;

namespace NewsletterService.Rendering;

/// <summary>A composed body cut at its placeholders.</summary>
public sealed class EmailSkeleton
{
    private static readonly string[] Placeholders = [EmailSlots.Name, EmailSlots.UnsubscribeUrl, EmailSlots.PreferencesUrl];

    private EmailSkeleton(CutText html, CutText text) { Html = html; Text = text; }

    public CutText Html { get; }
    public CutText Text { get; }

    public static EmailSkeleton Parse(EmailBody body) => new(Cut(body.Html), Cut(body.Text));

    /// <summary>A recipient's value for each slot, HTML-encoded for the HTML part.</summary>
    public static string[] Values(RecipientValues r, bool html)
    {
        string[] raw = [r.Name ?? "", r.UnsubscribeUrl, r.PreferencesUrl];
        return html ? raw.Select(v => HtmlEncoder.Default.Encode(v)).ToArray() : raw;
    }

    public EmailBody Fill(RecipientValues r) => new(Join(Html, Values(r, html: true)), Join(Text, Values(r, html: false)));

    private static CutText Cut(string text)
    {
        var parts = new List<string>();
        var slots = new List<int>();
        var at = 0;
        while (true)
        {
            var (index, slot) = Placeholders.Select((s, i) => (text.IndexOf(s, at, StringComparison.Ordinal), i))
                .Where(x => x.Item1 >= 0).DefaultIfEmpty((-1, -1)).MinBy(x => x.Item1);
            if (index < 0) break;
            parts.Add(text[at..index]);
            slots.Add(slot);
            at = index + Placeholders[slot].Length;
        }
        parts.Add(text[at..]);
        return new CutText(parts.ToArray(), slots.ToArray());
    }

    private static string Join(CutText cut, string[] values)
    {
        var builder = new System.Text.StringBuilder(cut.Parts.Sum(p => p.Length) + 256);
        for (var i = 0; i < cut.Slots.Length; i++) builder.Append(cut.Parts[i]).Append(values[cut.Slots[i]]);
        return builder.Append(cut.Parts[^1]).ToString();
    }
}

/// <summary>
/// A text cut at its placeholders: each of <see cref="Parts"/> but the last is followed by the value of the same index in
/// <see cref="Slots"/>.
/// </summary>
public sealed record CutText(string[] Parts, int[] Slots);
