using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace NewsletterService.Rendering;

/// <summary>
/// Article Markdown to HTML. Raw HTML in the source is shown as text, never passed through; a link, image or
/// autolink whose URL <see cref="SafeUrl"/> does not allow is shown as text, never as a link.
/// </summary>
public static partial class ArticleMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().UseAutoLinks().Build();

    /// <summary>Parses the article with every unsafe link already turned into text: everything rendered goes through here.</summary>
    private static MarkdownDocument Parse(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        // Inner ones first: a link's label may hold an image, and each replacement needs its own parent.
        foreach (var inline in document.Descendants<Inline>().Where(i => i is LinkInline or AutolinkInline).Reverse().ToList())
            Neutralise(inline);
        return document;
    }

    public static string ToHtml(string markdown) => Render(Parse(markdown));

    /// <summary>Splits the body into its first paragraph (the standfirst) and the rest, both as HTML.</summary>
    public static (string StandfirstHtml, string RestHtml) ToStandfirstAndRest(string markdown)
    {
        var document = Parse(markdown);
        if (document.OfType<ParagraphBlock>().FirstOrDefault() is not { } first) return ("", Render(document));
        var standfirst = Render(first);
        document.Remove(first);
        return (standfirst, Render(document));
    }

    /// <summary>The first paragraph as plain text (for digests and previews).</summary>
    public static string Standfirst(string markdown) =>
        Parse(markdown).OfType<ParagraphBlock>().FirstOrDefault() is { } first ? Render(first, plainText: true).Trim() : "";

    private static void Neutralise(Inline inline)
    {
        switch (inline)
        {
            case LinkInline link:
                var url = SafeUrl.Normalise(link.GetDynamicUrl?.Invoke() ?? link.Url ?? "");
                if (link.IsImage ? SafeUrl.IsSafeImage(url) : SafeUrl.IsSafeLink(url))
                {
                    (link.Url, link.GetDynamicUrl) = (url, null); // render exactly what was checked
                    return;
                }
                if (link.IsAutoLink)
                {
                    link.ReplaceBy(new LiteralInline(link.Url ?? ""), copyChildren: false); // "tel:123" is shown whole, not as "123"
                    return;
                }
                // The label (an image's alt text) stays, as text in the link's place.
                var label = link.ToList();
                foreach (var child in label) child.Remove();
                foreach (var child in label) link.InsertBefore(child);
                link.Remove();
                return;
            case AutolinkInline autolink when !SafeUrl.IsSafeLink(autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url):
                autolink.ReplaceBy(new LiteralInline(autolink.Url));
                return;
        }
    }

    private static string Render(MarkdownObject markdown, bool plainText = false)
    {
        var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer)
        {
            EnableHtmlForBlock = !plainText, EnableHtmlForInline = !plainText, EnableHtmlEscape = !plainText,
        };
        Pipeline.Setup(renderer);
        renderer.Render(markdown);
        return writer.ToString();
    }

    /// <summary>
    /// Plain text as Markdown that reads back as the same text: every character that could start Markdown or an
    /// entity is escaped, and no line can begin a heading, quote, list, rule, setext underline or code block.
    /// </summary>
    public static string Literal(string paragraph)
    {
        var text = Indentation().Replace(paragraph.ReplaceLineEndings("\n"), "");
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '`' or '<' or '>' or '[' or ']' or '!' or '&' or '#' or '|' or '~') escaped.Append('\\');
            escaped.Append(c);
        }
        // A line that starts like a list item ("- ", "+ ", "1. ", "2) "), a rule ("---") or a setext underline ("===")
        // must stay a sentence.
        return LineStart().Replace(escaped.ToString(), "${number}\\${marker}");
    }

    /// <summary>Leading spaces and tabs: four would make a code block, and they are not text anyone reads.</summary>
    [GeneratedRegex(@"^[ \t]+", RegexOptions.Multiline)]
    private static partial Regex Indentation();

    [GeneratedRegex(@"^(?:(?<marker>[-+=])|(?<number>\d{1,9})(?<marker>[.)])(?=[ \t]|$))", RegexOptions.Multiline)]
    private static partial Regex LineStart();
}
