using System.Net;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;

namespace NewsletterService.Rendering;

/// <summary>
/// A composed body cut at its placeholders. Slots: 0 the name, 1 the unsubscribe and 2 the preferences link, 3 the open pixel's
/// address, 4 + i the i-th of <see cref="Links"/> (only in a skeleton made by <see cref="Tracked"/>).
/// </summary>
public sealed partial class EmailSkeleton
{
    private const int OpenSlot = 3, FirstLink = 4;
    private const string OpenUrl = "https://nlslot.invalid/open9f3c";
    private static string LinkUrl(int i) => $"https://nlslot.invalid/link{i}x9f3c";

    private EmailSkeleton(CutText html, CutText text, IReadOnlyList<string> links)
    {
        Html = html;
        Text = text;
        Links = links;
    }

    public CutText Html { get; }
    public CutText Text { get; }

    /// <summary>The original addresses of the links that go through the click tracker, by slot.</summary>
    public IReadOnlyList<string> Links { get; }

    public static EmailSkeleton Parse(EmailBody body) => new(Cut(body.Html), Cut(body.Text), []);

    /// <summary>
    /// This email with an open pixel at the end of the HTML (<paramref name="opens"/>) and every http(s) link of both parts
    /// in a slot of its own (<paramref name="clicks"/>); the unsubscribe and preferences links stay as they are. Links
    /// already in <paramref name="links"/> keep their index there, new ones are added to it.
    /// </summary>
    public EmailSkeleton Tracked(bool opens, bool clicks, List<string> links)
    {
        string html = Join(Html, Placeholders()), text = Join(Text, Placeholders());
        if (clicks)
        {
            html = Href().Replace(html, m =>
            {
                var url = WebUtility.HtmlDecode(m.Groups["url"].Value);
                return Trackable(url) ? $"href=\"{LinkUrl(IndexOf(links, url))}\"" : m.Value;
            });
            // The text part shows the HTML's links as "text (url)": longest first, so that no URL's start is taken for another.
            foreach (var url in links.Where(text.Contains).OrderByDescending(u => u.Length).ToList())
                text = text.Replace(url, LinkUrl(links.IndexOf(url)), StringComparison.Ordinal);
        }
        if (opens)
        {
            const string pixel = $"<img src=\"{OpenUrl}\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0;height:1px;width:1px\">";
            var end = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
            html = end < 0 ? html + pixel : html.Insert(end, pixel);
        }
        return new EmailSkeleton(Cut(html), Cut(text), links.ToArray());
    }

    private static bool Trackable(string url) =>
        url.StartsWith("http", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(url, UriKind.Absolute, out var uri) &&
        uri.Scheme is "http" or "https" && uri.Host != "nlslot.invalid" && url.Length <= Tracking.TrackedLink.MaxUrlLength;

    private static int IndexOf(List<string> links, string url)
    {
        var i = links.IndexOf(url);
        if (i >= 0) return i;
        links.Add(url);
        return links.Count - 1;
    }

    /// <summary>A recipient's value for each slot, HTML-encoded for the HTML part.</summary>
    public string[] Values(RecipientValues r, bool html)
    {
        var values = new string[FirstLink + Links.Count];
        (values[0], values[1], values[2]) = (r.Name ?? "", r.UnsubscribeUrl, r.PreferencesUrl);
        values[OpenSlot] = r.Tracking?.OpenUrl ?? "";
        for (var i = 0; i < Links.Count; i++) values[FirstLink + i] = r.Tracking?.LinkUrls[i] ?? Links[i];
        return html ? values.Select(v => HtmlEncoder.Default.Encode(v)).ToArray() : values;
    }

    public EmailBody Fill(RecipientValues r) => new(Join(Html, Values(r, html: true)), Join(Text, Values(r, html: false)));

    /// <summary>The placeholders themselves, to write a skeleton back as the body it was cut from.</summary>
    private string[] Placeholders() =>
        [EmailSlots.Name, EmailSlots.UnsubscribeUrl, EmailSlots.PreferencesUrl, OpenUrl, .. Links.Select((_, i) => LinkUrl(i))];

    private static CutText Cut(string text)
    {
        var parts = new List<string>();
        var slots = new List<int>();
        var at = 0;
        foreach (Match m in Placeholder().Matches(text))
        {
            parts.Add(text[at..m.Index]);
            slots.Add(m.Value switch
            {
                EmailSlots.Name => 0,
                EmailSlots.UnsubscribeUrl => 1,
                EmailSlots.PreferencesUrl => 2,
                OpenUrl => OpenSlot,
                _ => FirstLink + int.Parse(m.Groups["link"].Value, System.Globalization.CultureInfo.InvariantCulture),
            });
            at = m.Index + m.Length;
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

    [GeneratedRegex(@"nlslotname9f3c|https://nlslot\.invalid/(?:unsubscribe9f3c|preferences9f3c|open9f3c|link(?<link>\d+)x9f3c)")]
    private static partial Regex Placeholder();

    [GeneratedRegex("""href="(?<url>https?://[^"]+)"|href='(?<url>https?://[^']+)'""", RegexOptions.IgnoreCase)]
    private static partial Regex Href();
}

/// <summary>
/// A text cut at its placeholders: each of <see cref="Parts"/> but the last is followed by the value of the same index in
/// <see cref="Slots"/>.
/// </summary>
public sealed record CutText(string[] Parts, int[] Slots);
