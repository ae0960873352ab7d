using System.Text.Encodings.Web;
using NUglify;
using NUglify.Html;

namespace NewsletterService.Rendering;

/// <summary>A finished email body: CSS inlined into the HTML, and a plain-text alternative from the same content.</summary>
public sealed record EmailBody(string Html, string Text);

/// <summary>Renders templates into mail-ready bodies: Razor, then CSS inlining (PreMailer.Net), then a text part (NUglify).</summary>
public sealed class EmailComposer(IEmailRenderer renderer)
{
    private static readonly AngleSharp.Html.Parser.HtmlParser Parser = new();

    public async Task<EmailBody> ComposeAsync<TModel>(string template, TModel model, CancellationToken ct = default)
    {
        var html = await renderer.RenderAsync(template, model, ct);
        var inlined = PreMailer.Net.PreMailer.MoveCssInline(html, removeStyleElements: false, removeComments: true, preserveMediaQueries: true).Html;
        return new EmailBody(inlined, ToText(inlined));
    }

    /// <summary>
    /// Renders once per shape of recipient (with and without a name) around placeholders, so that a campaign to any
    /// number of readers costs two renders; <see cref="EmailSkeleton.Fill"/> then personalises in microseconds.
    /// </summary>
    public async Task<PersonalisedEmail> PrepareAsync<TModel>(string template, Func<EmailSlots?, TModel> model, CancellationToken ct = default)
    {
        var named = await ComposeAsync(template, model(EmailSlots.Named), ct);
        var anonymous = await ComposeAsync(template, model(EmailSlots.Anonymous), ct);
        return new PersonalisedEmail(EmailSkeleton.Parse(named), EmailSkeleton.Parse(anonymous));
    }

    private static string ToText(string html)
    {
        // NUglify drops link targets: write every link as "text (url)" first, and leave out what only HTML readers see.
        var document = Parser.ParseDocument(html);
        foreach (var hidden in document.QuerySelectorAll("[data-text-skip]").ToList()) hidden.Remove();
        foreach (var link in document.QuerySelectorAll("a[href]"))
        {
            var href = link.GetAttribute("href")!;
            if (!SafeUrl.IsSafeLink(href)) continue; // the text part carries only URLs the HTML part may link
            var text = link.TextContent.Trim();
            link.TextContent = text.Length == 0 || text == href ? href : $"{text} ({href})";
        }
        foreach (var block in document.QuerySelectorAll("p,h1,h2,h3,h4,h5,h6,ul,ol,blockquote").ToList())
            block.After(document.CreateElement("br")); // a blank line between paragraphs, as in the HTML
        var result = Uglify.HtmlToText(document.DocumentElement.OuterHtml, HtmlToTextOptions.KeepStructure);
        var text2 = result.HasErrors ? document.Body?.TextContent ?? "" : result.Code;
        return CollapseBlankLines(text2);
    }

    private static string CollapseBlankLines(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd());
        var output = new List<string>();
        foreach (var line in lines)
        {
            if (line.Length == 0 && (output.Count == 0 || output[^1].Length == 0)) continue;
            output.Add(line.TrimStart());
        }
        return string.Join("\n", output).Trim() + "\n";
    }
}

/// <summary>Placeholders that stand in for per-recipient values while a campaign's email is rendered once.</summary>
public sealed class EmailSlots
{
    public const string Name = "nlslotname9f3c";
    public const string UnsubscribeUrl = "https://nlslot.invalid/unsubscribe9f3c";
    public const string PreferencesUrl = "https://nlslot.invalid/preferences9f3c";
    public static readonly EmailSlots Named = new(Name);
    public static readonly EmailSlots Anonymous = new(null);

    private EmailSlots(string? name) => RecipientName = name;
    public string? RecipientName { get; }
}

/// <summary>One recipient's values for the placeholders.</summary>
public sealed record RecipientValues(string? Name, string UnsubscribeUrl, string PreferencesUrl);

public sealed class PersonalisedEmail(EmailSkeleton named, EmailSkeleton anonymous)
{
    public EmailSkeleton SkeletonFor(RecipientValues recipient) => string.IsNullOrWhiteSpace(recipient.Name) ? anonymous : named;

    public EmailBody For(RecipientValues recipient) => SkeletonFor(recipient).Fill(recipient);
}

/// <summary>A text cut at its placeholders: each of <see cref="Parts"/> but the last is followed by the value of the same index in <see cref="Slots"/>.</summary>
public sealed record CutText(string[] Parts, int[] Slots);

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
