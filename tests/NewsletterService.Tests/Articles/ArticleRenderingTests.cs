using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Parser;
using NewsletterService.Security;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Articles;

/// <summary>
/// How an article reads where it is not the mail's HTML part: its web version is a web page (no mail greeting, the headline in
/// its title and Open Graph tags, a way to subscribe), and the mail's plain-text part keeps the lists' bullets and numbers.
/// </summary>
public sealed class ArticleRenderingTests : IAsyncLifetime
{
    private NewsletterApp _app = null!;

    public async Task InitializeAsync() => _app = await NewsletterApp.StartAsync();
    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<long> ArticleAsync(string title, string body, params string[] lists)
    {
        var response = await _app.Admin().PostAsJsonAsync("/api/articles", new { title, body, lists });
        return (await response.ReadJsonAsync(HttpStatusCode.Created))["id"]!.GetValue<long>();
    }

    [Fact]
    public async Task WebVersion_HasNoGreeting_CarriesTheHeadlineInTitleAndOpenGraph_AndLinksToTheSubscribePage()
    {
        const string headline = "Quay \"reopens\" <b>& the ferries</b> return";
        var id = await ArticleAsync(headline, "The <i>quay</i> is open again, & busy.\n\nMore below.");

        var html = await _app.Anonymous().GetStringAsync($"/articles/{id}");
        var page = new HtmlParser().ParseDocument(html);

        Assert.DoesNotContain("Hello", page.Body!.TextContent);
        Assert.Null(page.QuerySelector("b")); // the headline's markup is text (in attributes "<" needs no escaping; quotes are)
        Assert.Equal(headline, page.Title);
        string Meta(string property) => page.QuerySelector($"meta[property='{property}']")?.GetAttribute("content") ?? $"(no {property})";
        Assert.Equal(headline, Meta("og:title"));
        Assert.Equal("article", Meta("og:type"));
        Assert.Equal("The <i>quay</i> is open again, & busy.", Meta("og:description"));
        Assert.Equal($"{NewsletterApp.BaseUrl}/articles/{id}", Meta("og:url"));
        Assert.Equal("Harbour Post", Meta("og:site_name"));
        var subscribe = page.QuerySelectorAll("a").Single(a => a.TextContent.Contains("Subscribe"));
        Assert.Equal($"{NewsletterApp.BaseUrl}/subscribe", subscribe.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.OK, (await _app.Anonymous().GetAsync("/subscribe")).StatusCode);
    }

    [Fact]
    public async Task ListOnlyWebVersion_OgUrlIsTheSignedAddressThatOpensIt()
    {
        await _app.Admin().CreateListAsync("harbour", "Harbour news");
        var id = await ArticleAsync("Members meeting", "Thursday at eight.", "harbour");

        var html = await _app.Anonymous().GetStringAsync($"/articles/{id}?token={_app.Token(TokenPurpose.Article, id)}");
        var url = new HtmlParser().ParseDocument(html).QuerySelector("meta[property='og:url']")!.GetAttribute("content")!;

        Assert.StartsWith($"{NewsletterApp.BaseUrl}/articles/{id}?token=", url);
        Assert.Equal(HttpStatusCode.OK, (await _app.Anonymous().GetAsync(url[NewsletterApp.BaseUrl.Length..])).StatusCode);
    }

    [Fact]
    public async Task CampaignMail_StillGreetsTheReader_AndHasNoSubscribeBox()
    {
        await _app.ConfirmedSubscriberAsync("ana@example.test", "Ana");
        var id = await ArticleAsync("Quay reopens", "The quay is open again.");
        await _app.Admin().WaitForCampaignAsync(await _app.Admin().StartCampaignAsync(id));

        var mail = (await _app.WaitForMailsToAsync("ana@example.test", 2))[1];

        Assert.Contains("Hello Ana,", mail.TextBody);
        Assert.DoesNotContain("og:title", mail.HtmlBody);
        Assert.DoesNotContain("/subscribe", mail.HtmlBody);
    }

    [Fact]
    public async Task MarkdownLists_KeepTheirBulletsAndNumbers_InTheSentMailsTextPart()
    {
        await _app.ConfirmedSubscriberAsync("ana@example.test");
        var id = await ArticleAsync("Quay reopens", "The quay reopens on Monday.\n\nWhat changes:\n\n" +
            "- ferries dock at **pier 2**\n- parking moves north\n\nTimetable:\n\n1. first boat at 6:10\n2. last boat at 23:40\n\n" +
            "Also:\n\n* the kiosk opens\n\n3. steps start at three\n4. and go on\n");
        await _app.Admin().WaitForCampaignAsync(await _app.Admin().StartCampaignAsync(id));

        var text = (await _app.WaitForMailsToAsync("ana@example.test", 2))[1].TextBody!.ReplaceLineEndings("\n");

        Assert.Contains("• ferries dock at pier 2\n• parking moves north\n", text);
        Assert.Contains("1. first boat at 6:10\n2. last boat at 23:40\n", text);
        Assert.Contains("• the kiosk opens\n", text);
        Assert.Contains("3. steps start at three\n4. and go on\n", text);
        Assert.Contains("The quay reopens on Monday.", text);
    }
}
