using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Dashboard;

public sealed partial class DashboardBrowserTests
{
    private const string Rss = """
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>Harbour Post</title><link>https://harbour.example/</link><description>News</description>
        <item><guid isPermaLink="false">a1</guid><title>Quay reopens</title><link>https://harbour.example/a1</link>
        <description>The quay is open.</description></item>
        <item><guid isPermaLink="false">a2</guid><title>Tide tables</title><link>https://harbour.example/a2</link>
        <description>New tables.</description></item>
        </channel></rss>
        """;

    [SkippableFact]
    public async Task Feeds_RegisterAndPoll_ShowTheirStatus_AndTheErrorOfAnUnreachableFeed()
    {
        await using var web = new StaticWebServer();
        var good = web.Put("/news.rss", "application/rss+xml", Rss);
        await using var app = await NewsletterApp.StartOnKestrelAsync(
            new Dictionary<string, string?> { ["Feeds:AllowPrivateNetworks"] = "true" });
        await app.Admin().CreateListAsync("harbour", "Harbour news");
        using var browser = new Browser(app);
        browser.Go("/admin");
        browser.Login();

        browser.Submit("nav a[href='/admin/feeds']");
        browser.Fill("#url", "ftp://harbour.example/news.rss");
        browser.Submit("main form:not([action*='handler']) button[type=submit]");
        browser.WaitForText("#url-error", "Feed address must be a full web address starting with http:// or https://");

        browser.Fill("#url", good);
        browser.Click("input[name=lists][value=harbour]");
        browser.Submit("main form:not([action*='handler']) button[type=submit]");
        browser.WaitForText(".alert.ok", $"Registered {good}.");
        browser.Submit("form[action*='handler=Poll'] button");
        browser.WaitForText(".alert.ok", "2 imported in all");
        Assert.Contains("Harbour Post", browser.Text("main table"));
        Assert.Contains("Harbour news", browser.Text("main table"));
        Assert.Equal("ok", browser.Text("main table .badge"));

        browser.Fill("#url", web.BaseUrl + "/gone.rss");
        browser.Submit("main form:not([action*='handler']) button[type=submit]");
        browser.WaitForText(".alert.ok", "Registered");
        browser.Submit("tr:last-child form[action*='handler=Poll'] button");
        browser.WaitForText(".alert.error", "could not be read: Nothing was found at that address (HTTP 404). Check the URL");
        Assert.Contains("(HTTP 404)", browser.Text("tr:last-child .error-text"));
        Assert.Equal("error", browser.Text("tr:last-child .badge"));
        browser.Screenshot("feeds");

        browser.Click("tr:last-child form[action*='handler=Delete'] button");
        browser.Wait(d => d.SwitchTo().Alert()).Accept();
        browser.WaitForText(".alert.ok", "Deleted the feed");
        Assert.DoesNotContain("gone.rss", browser.Text("main table"));
        Assert.Equal(2, await app.WithDbAsync(db => Task.FromResult(db.Articles.Count())));
    }
}
