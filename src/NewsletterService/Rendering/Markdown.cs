using Markdig;
using Markdig.Syntax;

namespace NewsletterService.Rendering;

/// <summary>Article Markdown to HTML. Raw HTML in the source is shown as text, never passed through.</summary>
public static class ArticleMarkdown
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
}
