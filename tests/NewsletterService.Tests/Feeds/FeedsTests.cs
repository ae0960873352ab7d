using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
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

    /// <summary>Waits until the poll that registering the feed started has read it.</summary>
    private async Task<JsonNode> FirstPollAsync(JsonNode feed)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var state = await (await _app.Admin().GetAsync($"/api/feeds/{feed["id"]}")).ReadJsonAsync(HttpStatusCode.OK);
            if (state["status"]!.GetValue<string>() != "new") return state;
            if (DateTime.UtcNow > until) throw new TimeoutException($"Feed {feed["id"]} was not polled after it was registered.");
            await Task.Delay(50);
        }
    }

    private Task<int> CampaignCountAsync() => _app.WithDbAsync(db => db.Campaigns.CountAsync());

    private static (string, string, string)[] Items(int from, int count) =>
        Enumerable.Range(from, count).Select(i => ($"e{i}", $"Harbour news {i}", $"<p>Item {i} text.</p>")).ToArray();

    [SkippableFact]
    public async Task AutoSendFeed_ImportsTheBacklogItHasWhenRegistered_WithoutMailingIt()
    {
        await _app.Admin().ImportSubscribersAsync(Api.Csv(3));

        var feed = await RegisterAsync(_web.Put("/news.rss", "application/rss+xml", Rss(Items(1, 5))), autoSend: true);
        var state = await FirstPollAsync(feed);

        Assert.Equal("ok", state["status"]!.GetValue<string>());
        Assert.Equal(5, (await ArticleTitlesAsync()).Count);
        Assert.Equal(0, await CampaignCountAsync());
        await PollAsync(feed); // and a poll that finds nothing new sends nothing either
        Assert.Equal(0, await CampaignCountAsync());
        Assert.Empty(_app.Smtp.Messages);
    }

    [SkippableFact]
    public async Task AutoSendFeed_SendsOneCampaignForSeveralNewItems_NewestFirst_ListingTheOthers()
    {
        await _app.Admin().ImportSubscribersAsync(Api.Csv(3));
        var feed = await RegisterAsync(_web.Put("/news.atom", "application/atom+xml", Atom(Items(1, 2))), autoSend: true);
        await FirstPollAsync(feed);

        _web.Put("/news.atom", "application/atom+xml", Atom(Items(1, 5)));
        await PollAsync(feed);

        var campaign = Assert.Single(await _app.WithDbAsync(db => db.Campaigns.ToListAsync()));
        await _app.Admin().WaitForCampaignAsync(campaign.Id);
        Assert.Equal(5, (await ArticleTitlesAsync()).Count);
        Assert.Equal(3, _app.Smtp.Messages.Count);
        foreach (var reader in Enumerable.Range(0, 3))
        {
            var mail = Assert.Single(_app.Smtp.To($"reader{reader}@example.test"));
            Assert.Equal("Harbour news 5", mail.Subject);
            Assert.Contains("Also new:", mail.TextBody);
            Assert.Contains("Harbour news 4", mail.HtmlBody);
            Assert.Contains("Harbour news 3", mail.HtmlBody);
            Assert.Contains("https://harbour.example/e3", mail.HtmlBody);
            Assert.DoesNotContain("Harbour news 2", mail.HtmlBody); // the backlog is not news
        }
        await PollAsync(feed);
        Assert.Equal(1, await CampaignCountAsync());
    }

    [SkippableFact]
    public async Task AutoSendFeed_PolledTwiceAtOnce_SendsTheNewItemsOnce()
    {
        await _app.Admin().ImportSubscribersAsync(Api.Csv(2));
        var feed = await RegisterAsync(_web.Put("/news.rss", "application/rss+xml", Rss(Items(1, 1))), autoSend: true);
        await FirstPollAsync(feed);
        _web.Put("/news.rss", "application/rss+xml", Rss(Items(1, 4)));

        await Task.WhenAll(PollAsync(feed), PollAsync(feed), PollAsync(feed));

        var campaign = Assert.Single(await _app.WithDbAsync(db => db.Campaigns.ToListAsync()));
        await _app.Admin().WaitForCampaignAsync(campaign.Id);
        Assert.Equal(4, (await ArticleTitlesAsync()).Count);
        Assert.True(_app.Smtp.Messages.Count == 2, string.Join("; ", _app.Smtp.Messages.Select(m => $"{m.To} {m.Subject}"))
            + " " + (await _app.Admin().GetCampaignAsync(campaign.Id)).ToJsonString());
    }

    [SkippableFact]
    public async Task AutoSendFeed_WhoseFirstReadFails_TreatsItsFirstGoodReadAsBacklog()
    {
        await _app.Admin().ImportSubscribersAsync(Api.Csv(1));
        var feed = await RegisterAsync(_web.BaseUrl + "/later.rss", autoSend: true);
        Assert.Equal("error", (await FirstPollAsync(feed))["status"]!.GetValue<string>());

        _web.Put("/later.rss", "application/rss+xml", Rss(Items(1, 3)));
        await PollAsync(feed);

        Assert.Equal(3, (await ArticleTitlesAsync()).Count);
        Assert.Equal(0, await CampaignCountAsync());
    }

    [SkippableFact]
    public async Task Digest_CarriesAFeedsNewItems_ButNotTheBacklogItHadWhenRegistered()
    {
        await _app.Admin().ImportSubscribersAsync("email,name,cadence\nana@example.test,Ana,daily\n");
        var feed = await RegisterAsync(_web.Put("/news.rss", "application/rss+xml", Rss(Items(1, 2))));
        await FirstPollAsync(feed);
        _web.Put("/news.rss", "application/rss+xml", Rss(Items(1, 3)));
        await PollAsync(feed);

        var digest = await (await _app.Admin().PostAsync("/api/digests/daily/run", null)).ReadJsonAsync(HttpStatusCode.Created);
        await _app.Admin().WaitForCampaignAsync(digest["id"]!.GetValue<long>());

        var mail = Assert.Single(_app.Smtp.Messages);
        Assert.Contains("Harbour news 3", mail.TextBody);
        Assert.DoesNotContain("Harbour news 1", mail.TextBody);
        Assert.DoesNotContain("Harbour news 2", mail.TextBody);
    }

    [SkippableFact]
    public async Task FeedErrors_SayWhatToDo_NotWhatTheParserSaid()
    {
        var page = await RegisterAsync(_web.Put("/site.html", "text/html", "<!doctype html><html><body><p>Welcome<br></body></html>"));

        var state = await PollAsync(page);

        Assert.Equal("That address doesn't serve an RSS or Atom feed. Check the URL, or paste the feed's address rather than the site's.",
            state["lastError"]!.GetValue<string>());
        var invalid = await (await _app.Admin().PostAsJsonAsync("/api/feeds", new { url = "example.com/news.rss" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "url");
        Assert.StartsWith("Feed address must be a full web address", invalid["errors"]!["url"]![0]!.GetValue<string>());
    }

    private static string Atom(params (string Id, string Title, string Html)[] items) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Post</title><id>urn:harbour</id><updated>2026-11-02T08:00:00Z</updated>
        {string.Concat(items.Select((i, n) => $"<entry><id>urn:harbour:{i.Id}</id><title>{i.Title}</title>"
            + $"<updated>2026-11-0{n + 1}T08:00:00Z</updated><link href=\"https://harbour.example/{i.Id}\"/>"
            + $"<summary type=\"html\">{WebUtility.HtmlEncode(i.Html)}</summary></entry>"))}</feed>
        """;
}

public sealed class FeedsOnSqlite() : FeedsTests(Database.Sqlite);

public sealed class FeedsOnPostgres() : FeedsTests(Database.Postgres);
