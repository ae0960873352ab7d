using System.Net;
using System.Net.Http.Json;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Security;

/// <summary>
/// Every hostile URL variant, written by an editor through each way in (JSON API, plain-text import, the dashboard's
/// Markdown editor), reaches no reader or editor as a link: not on the public page, in the previews, on the dashboard
/// or in the sent mail. The safe links beside it stay links.
/// </summary>
public sealed class HostileLinksTests(ArticleSurfaces surfaces) : IClassFixture<ArticleSurfaces>
{
    private static readonly ExpectedArticle SafeMarkdown = new(null, HostileMarkdown.SafeLinks, HostileMarkdown.SafeImages);

    /// <summary>
    /// The hostile Markdown in the standfirst and again in the rest, which are rendered apart, with the safe links between.
    /// </summary>
    private static string Body(string hostile) => $"{hostile}\n\n{HostileMarkdown.Safe}\n\n{hostile}";

    [Theory]
    [MemberData(nameof(HostileMarkdown.Variants), MemberType = typeof(HostileMarkdown))]
    public async Task ArticleFromJsonApi_ShowsUnsafeUrlsAsText_Everywhere(string hostile, string shown)
    {
        var title = surfaces.NewTitle("api");
        var response = await surfaces.App.Admin().PostAsJsonAsync("/api/articles",
            new { title, body = Body(hostile), publishedAt = DateTimeOffset.UtcNow.AddDays(-1) });
        var id = (await response.ReadJsonAsync(HttpStatusCode.Created))["id"]!.GetValue<long>();

        await surfaces.AssertEverywhereAsync(id, title, SafeMarkdown with { Shown = shown });
    }

    [Theory]
    [MemberData(nameof(HostileMarkdown.Variants), MemberType = typeof(HostileMarkdown))]
    public async Task ArticleFromMarkdownEditor_ShowsUnsafeUrlsAsText_Everywhere(string hostile, string shown)
    {
        var title = surfaces.NewTitle("editor");
        var saved = await surfaces.Editor.PostFormAsync("/admin/articles/edit",
            new Dictionary<string, string> { ["title"] = title, ["byline"] = "", ["imageCredit"] = "", ["body"] = Body(hostile) });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var id = long.Parse(saved.Headers.Location!.OriginalString.Split('/')[^1]);

        await surfaces.AssertEverywhereAsync(id, title, SafeMarkdown with { Shown = shown });
    }

    [Theory]
    [MemberData(nameof(HostileMarkdown.Sources), MemberType = typeof(HostileMarkdown))]
    public async Task PlainTextImport_ShowsMarkdownAsTheTextItIs_Everywhere(string hostile)
    {
        var title = surfaces.NewTitle("import");
        var imported = await surfaces.App.Admin().ImportArticleAsync(
            $"{title}\n\n{hostile}\n\nSee https://harbour.example/safe or write to mailto:editor@harbour.example today.");

        await surfaces.AssertEverywhereAsync(imported["id"]!.GetValue<long>(), title,
            new ExpectedArticle(RenderedUrls.Collapse(hostile), HostileMarkdown.SafeLinks, []));
    }
}
