using System.Net;
using System.Net.Http.Json;
using System.Security;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Articles;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Security;

/// <summary>
/// A feed served by a local HTTP server cannot put a link, an image or any Markdown into an article: its title,
/// text and link are text, and its link becomes the article's source link only when it is an absolute http(s) URL.
/// </summary>
public sealed class HostileFeedTests(ArticleSurfaces surfaces) : IClassFixture<ArticleSurfaces>
{
    private static string Rss(string title, string link, string? html) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>Harbour Post</title><link>https://harbour.example/</link><description>News</description>
        <item><guid isPermaLink="false">{Guid.NewGuid():N}</guid><title>{SecurityElement.Escape(title)}</title>
        <link>{SecurityElement.Escape(link)}</link>
        <pubDate>Mon, 02 Nov 2026 08:00:00 GMT</pubDate>
        {(html is null ? "" : $"<description>{SecurityElement.Escape(html)}</description>")}</item>
        </channel></rss>
        """;

    /// <summary>
    /// Serves the feed, registers it, polls it and returns the article it imported under <paramref name="title"/>. An auto-send
    /// feed is registered empty first (its first read is a backlog that is not sent), so that the item is new and sent.
    /// </summary>
    private async Task<Article> ImportAsync(string rss, string title, bool autoSend = false)
    {
        var path = $"/{Guid.NewGuid():N}.rss";
        var url = surfaces.Web.Put(path, "application/rss+xml", autoSend ? rss[..rss.IndexOf("<item>")] + "</channel></rss>" : rss);
        var feed = await (await surfaces.App.Admin().PostAsJsonAsync("/api/feeds", new { url, autoSend })).ReadJsonAsync(HttpStatusCode.Created);
        if (autoSend)
        {
            await (await surfaces.App.Admin().PostAsync($"/api/feeds/{feed["id"]}/poll", null)).ReadJsonAsync(HttpStatusCode.OK);
            surfaces.Web.Put(path, "application/rss+xml", rss);
        }
        var polled = await (await surfaces.App.Admin().PostAsync($"/api/feeds/{feed["id"]}/poll", null)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(polled["status"]!.GetValue<string>() == "ok", polled.ToJsonString());
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30); // the first poll on registration may be the one that imports it
        while (true)
        {
            if (await surfaces.App.WithDbAsync(db =>
                db.Articles.AsNoTracking().FirstOrDefaultAsync(a => a.Title == title)) is { } article) return article;
            if (DateTime.UtcNow > until) throw new TimeoutException($"No article '{title}' was imported.");
            await Task.Delay(50);
        }
    }

    private const string Text = "The quay reopens on Monday.";

    /// <summary>Imports an item with a new title, <see cref="Text"/> and <paramref name="link"/>.</summary>
    private async Task<(Article Article, string Title)> ImportLinkAsync(string channel, string link, bool autoSend = false)
    {
        var title = surfaces.NewTitle(channel);
        return (await ImportAsync(Rss(title, link, $"<p>{Text}</p>"), title, autoSend), title);
    }

    [Theory]
    [MemberData(nameof(HostileMarkdown.Sources), MemberType = typeof(HostileMarkdown))]
    public async Task FeedItemTitleAndText_StayText_Everywhere(string hostile)
    {
        var unique = surfaces.NewTitle("feed");
        var link = $"https://harbour.example/{Guid.NewGuid():N}";
        var title = RenderedUrls.Collapse($"{unique} {hostile}");

        var article = await ImportAsync(Rss($"{unique} {hostile}", link, $"<p>{WebUtility.HtmlEncode(hostile)}</p>"), title);

        Assert.Equal(link, article.SourceUrl);
        await surfaces.AssertEverywhereAsync(article.Id, title, new ExpectedArticle(RenderedUrls.Collapse(hostile), [link], []));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("JavaScript:alert(1)")]
    [InlineData("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==")]
    [InlineData("ftp://files.example/report.pdf")]
    [InlineData("/admin/subscribers/export")]
    public async Task FeedItemLink_ThatIsNotAbsoluteHttp_IsNeitherSourceNorLink(string link)
    {
        var (article, title) = await ImportLinkAsync("feed link", link);

        Assert.Null(article.SourceUrl);
        await surfaces.AssertEverywhereAsync(article.Id, title, new ExpectedArticle(Text, [], []));
    }

    [Theory]
    [InlineData("https://harbour.example/a>![t](https://tracker.example/p.png)")]
    [InlineData("https://harbour.example/a%3E![t](https://tracker.example/p.png)")]
    [InlineData("https://harbour.example/a> [more](javascript:alert(1)) <javascript:alert(2)>")]
    [InlineData("https://harbour.example/a)<https://tracker.example/>")]
    public async Task FeedItemLink_CannotBreakOutOfTheSourceLink_InTheMailAutoSent(string link)
    {
        var (article, title) = await ImportLinkAsync("feed breakout", link, autoSend: true);

        Assert.StartsWith("https://harbour.example/a", article.SourceUrl);
        Assert.DoesNotContain(article.SourceUrl!, c => c is '<' or '>' or ' ' or '\n');
        await surfaces.AssertEverywhereAsync(article.Id, title, new ExpectedArticle(null, [article.SourceUrl!], []), alreadySent: true);
    }

    [Fact]
    public async Task FeedItem_WithOnlyATitle_GetsItAsText()
    {
        const string markdown = "**Storm** [click](javascript:alert(1)) ![t](data:image/png;base64,iVBORw0KGgo=)";
        var title = $"{surfaces.NewTitle("feed title")} {markdown}";

        var article = await ImportAsync(Rss(title, "javascript:alert(2)", null), title);

        await surfaces.AssertEverywhereAsync(article.Id, title, new ExpectedArticle(markdown, [], []));
    }
}
