using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;

namespace NewsletterService.Rendering;

/// <summary>Article Markdown to HTML. Raw HTML in the source is shown as text, never passed through.</summary>
public static partial class ArticleMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().UseAutoLinks().Build();

    public static string ToHtml(string markdown) => Markdown.ToHtml(markdown, Pipeline);

    /// <summary>Splits the body into its first paragraph (the standfirst) and the rest, both as HTML.</summary>
    public static (string StandfirstHtml, string RestHtml) ToStandfirstAndRest(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var first = document.OfType<ParagraphBlock>().FirstOrDefault();
        if (first is null) return ("", ToHtml(markdown));
        var standfirst = markdown.Substring(first.Span.Start, first.Span.Length);
        var rest = markdown[(first.Span.End + 1)..];
        var before = markdown[..first.Span.Start];
        return (ToHtml(standfirst), ToHtml(before + rest));
    }

    /// <summary>The first paragraph as plain text (for digests and previews).</summary>
    public static string Standfirst(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var first = document.OfType<ParagraphBlock>().FirstOrDefault();
        return first is null ? "" : Markdown.ToPlainText(markdown.Substring(first.Span.Start, first.Span.Length), Pipeline).Trim();
    }

    /// <summary>Plain text as a Markdown paragraph that reads back as the same text: formatting characters are escaped.</summary>
    public static string Literal(string paragraph)
    {
        var escaped = new StringBuilder(paragraph.Length + 8);
        foreach (var c in paragraph)
        {
            if (c is '\\' or '*' or '_' or '`' or '<' or '>' or '[' or ']' or '#' or '|' or '~') escaped.Append('\\');
            escaped.Append(c);
        }
        // A line that starts like a list item ("- ", "1. ") must stay a sentence.
        return ListMarker().Replace(escaped.ToString(), m => m.Groups[1].Value + "\\" + m.Groups[2].Value, 1);
    }

    [GeneratedRegex(@"^(\d*)([-+=.)])(?=\s|$)")]
    private static partial Regex ListMarker();
}
