using NewsletterService.Feeds;
using NewsletterService.Rendering;

namespace NewsletterService.Tests.Security;

/// <summary>The Markdown pipeline itself: what it links, what it shows as text, and what literal text stays text.</summary>
public sealed class ArticleMarkdownSafetyTests
{
    [Theory]
    [MemberData(nameof(HostileMarkdown.Variants), MemberType = typeof(HostileMarkdown))]
    public void UnsafeUrl_IsShownAsItsText_WhileSafeLinksStayLinks(string hostile, string shown)
    {
        var html = ArticleMarkdown.ToHtml(hostile + "\n\n" + HostileMarkdown.Safe);

        RenderedUrls.AssertNoUnsafeUrl(html, hostile);
        var document = RenderedUrls.Parse(html);
        var (links, images) = RenderedUrls.Targets(document.Body!);
        Assert.Equal(HostileMarkdown.SafeLinks, links);
        Assert.Equal(HostileMarkdown.SafeImages, images);
        Assert.Equal(shown, RenderedUrls.Collapse(document.QuerySelector("p")!.TextContent));
    }

    [Theory]
    [MemberData(nameof(HostileMarkdown.Variants), MemberType = typeof(HostileMarkdown))]
    public void UnsafeUrl_IsNeitherLinkedNorLost_InTheStandfirstAndTheRest(string hostile, string shown)
    {
        var (standfirst, rest) = ArticleMarkdown.ToStandfirstAndRest(hostile + "\n\n" + HostileMarkdown.Safe + "\n\n" + hostile);

        RenderedUrls.AssertNoUnsafeUrl(standfirst + rest, hostile);
        Assert.Equal(shown, RenderedUrls.Collapse(RenderedUrls.Parse(standfirst).Body!.TextContent));
        Assert.Equal(3, RenderedUrls.Parse(rest).QuerySelectorAll("a[href], img[src]").Length);
        Assert.Equal(shown, RenderedUrls.Collapse(ArticleMarkdown.Standfirst(hostile + "\n\n" + HostileMarkdown.Safe)));
    }

    [Fact]
    public void ReferenceLink_InTheStandfirst_IsResolvedFromADefinitionFurtherDown()
    {
        var (standfirst, _) = ArticleMarkdown.ToStandfirstAndRest(
            "Read [the report][r].\n\nMore text.\n\n[r]: https://harbour.example/report");

        Assert.Equal("<p>Read <a href=\"https://harbour.example/report\">the report</a>.</p>\n", standfirst);
    }

    [Fact]
    public void SafeLink_IsRenderedWithTheUrlABrowserReads()
    {
        var html = ArticleMarkdown.ToHtml("[ok](<  https://harbour.example/a\tb  >)");

        Assert.Equal("<p><a href=\"https://harbour.example/ab\">ok</a></p>\n", html);
    }

    public static TheoryData<string> PlainText() => new()
    {
        "[click](javascript:alert(1)) and ![pic](data:image/png;base64,iVBORw0KGgo=)",
        "<javascript:alert(1)> <b>bold</b> <!-- comment --> <script>alert(1)</script>",
        "java&#115;cript &amp; &copy; &colon; *stars* _under_ `code` ~~strike~~ \\backslash\\",
        "[x][r]\n[r]: javascript:alert(1)",
        "# Heading",
        "> quote",
        "- item",
        "+ item",
        "1. item",
        "2) item",
        "---",
        "Title\n===",
        "Title\n---",
        "```\ncode\n```",
        "~~~\ncode\n~~~",
        "        indented code",
        "| a | b |\n|---|---|\n| c | d |",
        "ftp://files.example/report.pdf and tel:+358401234567",
        "Trailing backslash\\",
    };

    [Theory]
    [MemberData(nameof(PlainText))]
    public void Literal_ReadsBackAsTheSameText_WithNoMarkup(string text)
    {
        var html = ArticleMarkdown.ToHtml(ArticleMarkdown.Literal(text));

        var body = RenderedUrls.Parse(html).Body!;
        Assert.All(body.QuerySelectorAll("*"), e => Assert.True(e.LocalName is "p" or "br", $"<{e.LocalName}> in {html}"));
        Assert.Equal(RenderedUrls.Collapse(text.Replace("\n", " ")), RenderedUrls.Collapse(body.TextContent));
    }

    [Fact]
    public void Literal_KeepsAnHttpAddressInTheTextAsALink()
    {
        var html = ArticleMarkdown.ToHtml(ArticleMarkdown.Literal("More at https://harbour.example/more today."));

        Assert.Equal(["https://harbour.example/more"], RenderedUrls.Targets(RenderedUrls.Parse(html).Body!).Links);
    }

    [Theory]
    [InlineData("https://harbour.example/a>![t](https://tracker.example/p.png)")]
    [InlineData("https://harbour.example/a> [more](https://tracker.example/)")]
    [InlineData("https://harbour.example/a\n\n![t](https://tracker.example/p.png)")]
    [InlineData("https://harbour.example/a <https://tracker.example/>")]
    public void FeedLink_CannotEndTheAutolinkEarly(string link)
    {
        var html = ArticleMarkdown.ToHtml(FeedItemText.ToMarkdown("<p>Quay reopens.</p>", link));

        var (links, images) = RenderedUrls.Targets(RenderedUrls.Parse(html).Body!);
        Assert.Empty(images);
        Assert.StartsWith("https://harbour.example/a", Assert.Single(links));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,x")]
    [InlineData("/relative/path")]
    public void FeedLink_ThatIsNotAbsoluteHttp_IsLeftOut(string link)
    {
        var markdown = FeedItemText.ToMarkdown("<p>Quay reopens.</p>", link);

        Assert.Equal("Quay reopens.", markdown);
    }
}
