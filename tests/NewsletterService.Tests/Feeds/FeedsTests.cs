using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Feeds;

public abstract class FeedsTests(Database database) : IAsyncLifetime
{
    private NewsletterApp _app = null!;
    private readonly StaticWebServer _web = new();

    public async Task InitializeAsync() =>
        _app = await NewsletterApp.StartAsync(database, new Dictionary<string, string?> { ["Feeds:AllowPrivateNetworks"] = "true" });

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _web.DisposeAsync();
    }

    private static string Rss(params (string Guid, string Title, string Html)[] items) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>Harbour Post</title><link>https://harbour.example/</link><description>News</description>
        {string.Concat(items.Select(i =>
            $"<item><guid isPermaLink=\"false\">{i.Guid}</guid><title>{i.Title}</title><link>https://harbour.example/{i.Guid}</link>"
            + $"<pubDate>Mon, 02 Nov 2026 08:00:00 GMT</pubDate><description><![CDATA[{i.Html}]]></description></item>"))}
        </channel></rss>
        """;

    private async Task<JsonNode> RegisterAsync(string url, bool autoSend = false) =>
        await (await _app.Admin().PostAsJsonAsync("/api/feeds", new { url, autoSend })).ReadJsonAsync(HttpStatusCode.Created);

    private async Task<JsonNode> PollAsync(JsonNode feed) =>
        await (await _app.Admin().PostAsync($"/api/feeds/{feed["id"]}/poll", null)).ReadJsonAsync(HttpStatusCode.OK);

    private async Task<List<string>> ArticleTitlesAsync()
    {
        var list = await (await _app.Admin().GetAsync("/api/articles?pageSize=100")).ReadJsonAsync(HttpStatusCode.OK);
        return list["items"]!.AsArray().Select(a => a!["title"]!.GetValue<string>()).ToList();
    }

    [SkippableFact]
    public async Task Feed_ImportsEachNewItemOnce()
    {
        var url = _web.Put("/news.rss", "application/rss+xml",
            Rss(("a1", "Quay reopens", "<p>The quay is open.</p>"), ("a2", "Tide tables", "<p>New tables.</p>")));
        var feed = await RegisterAsync(url);

        await PollAsync(feed);
        await PollAsync(feed);
        Assert.Equal(["Quay reopens", "Tide tables"], (await ArticleTitlesAsync()).Order());

        _web.Put("/news.rss", "application/rss+xml", Rss(
            ("a1", "Quay reopens", "<p>The quay is open.</p>"),
            ("a2", "Tide tables", "<p>New tables.</p>"),
            ("a3", "Ferry fares", "<p>Fares rise.</p>")));
        var polled = await PollAsync(feed);

        Assert.Equal(3, (await ArticleTitlesAsync()).Count);
        Assert.Equal(3, polled["itemsImported"]!.GetValue<int>());
        Assert.Equal("ok", polled["status"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Feed_KeepsTheItemsTextAndLink_WithoutItsMarkup()
    {
        var feed = await RegisterAsync(_web.Put("/news.rss", "application/rss+xml",
            Rss(("b1", "Market day", "<p>Stalls <b>open</b> at 8.</p><script>alert(1)</script><p>Bring a bag.</p>"))));

        await PollAsync(feed);

        var list = await (await _app.Admin().GetAsync("/api/articles")).ReadJsonAsync(HttpStatusCode.OK);
        var body = list["items"]![0]!["body"]!.GetValue<string>();
        Assert.StartsWith("Stalls open at 8.\n\nBring a bag.", body);
        Assert.Contains("https://harbour.example/b1", body);
        Assert.DoesNotContain("<b>", body);
    }

    [SkippableFact]
    public async Task Feed_ReadsAtom()
    {
        var feed = await RegisterAsync(_web.Put("/news.atom", "application/atom+xml", """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Post</title><id>urn:harbour</id><updated>2026-11-02T08:00:00Z</updated>
            <entry><id>urn:harbour:1</id><title>Lighthouse tours</title><updated>2026-11-02T08:00:00Z</updated>
            <link href="https://harbour.example/lighthouse"/><summary>Tours start in spring.</summary></entry></feed>
            """));

        await PollAsync(feed);

        Assert.Equal(["Lighthouse tours"], await ArticleTitlesAsync());
    }

    [SkippableFact]
    public async Task BrokenFeed_IsReportedOnTheFeed_AndDoesNotStopTheOthers()
    {
        var broken = await RegisterAsync(_web.Put("/broken.rss", "application/rss+xml", "<rss><channel><item>"));
        var missing = await RegisterAsync(_web.BaseUrl + "/nothing-here.rss");
        var good = await RegisterAsync(_web.Put("/good.rss", "application/rss+xml", Rss(("c1", "Harbour lights", "<p>Lit.</p>"))));

        var brokenState = await PollAsync(broken);
        var missingState = await PollAsync(missing);
        await PollAsync(good);

        Assert.Equal("error", brokenState["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(brokenState["lastError"]!.GetValue<string>()));
        Assert.Contains("404", missingState["lastError"]!.GetValue<string>());
        Assert.Equal(["Harbour lights"], await ArticleTitlesAsync());
    }

    [SkippableFact]
    public async Task Register_AnswersProblemNamingUrl_ForANonHttpUrl()
    {
        await (await _app.Admin().PostAsJsonAsync("/api/feeds", new { url = "file:///etc/passwd" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "url");
    }

    [SkippableFact]
    public async Task AutoSendFeed_SendsEachNewArticleToSubscribers()
    {
        await _app.Admin().ImportSubscribersAsync(Api.Csv(3));
        var feed = await RegisterAsync(_web.Put("/news.rss", "application/rss+xml", Rss(("d1", "Storm warning", "<p>Stay ashore.</p>"))),
            autoSend: true);

        await PollAsync(feed);

        await _app.Smtp.WaitForAsync(3);
        Assert.All(_app.Smtp.Messages, m => Assert.Equal("Storm warning", m.Subject));
    }
}

public sealed class FeedsOnSqlite() : FeedsTests(Database.Sqlite);

public sealed class FeedsOnPostgres() : FeedsTests(Database.Postgres);
