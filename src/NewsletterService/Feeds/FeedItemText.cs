using System.ServiceModel.Syndication;
using System.Text;
using AngleSharp.Html.Parser;
using NewsletterService.Rendering;

namespace NewsletterService.Feeds;

/// <summary>
/// Turns a feed item's HTML summary or content into article Markdown: its paragraphs as literal text, and its link,
/// when it is an absolute http(s) URL, as the one link.
/// </summary>
public static class FeedItemText
{
    private static readonly HtmlParser Parser = new();

    public static string Html(SyndicationItem item) =>
        (item.Content as TextSyndicationContent)?.Text ?? item.Summary?.Text ?? "";

    public static string ToMarkdown(string html, string? link)
    {
        var document = Parser.ParseDocument("<body>" + html + "</body>");
        var blocks = document.Body!.QuerySelectorAll("p, li, blockquote, h1, h2, h3, h4, pre")
            .Where(e => e.QuerySelector("p, li, blockquote") is null)
            .Select(e => Normalise(e.TextContent)).Where(t => t.Length > 0).ToList();
        if (blocks.Count == 0 && Normalise(document.Body.TextContent) is { Length: > 0 } text) blocks.Add(text);

        var markdown = new StringBuilder();
        foreach (var block in blocks) markdown.Append(ArticleMarkdown.Literal(block)).Append("\n\n");
        // An autolink, escaped (SafeUrl.WebAddress): no space, '<', '>' or line break is left to end it early.
        if (SafeUrl.WebAddress(link) is { } address) markdown.Append("Read the whole article: <").Append(address).Append(">\n");
        return markdown.ToString().Trim();
    }

    private static string Normalise(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
