using System.Drawing;
using System.Net;
using System.Net.Http.Json;
using NewsletterService.Security;
using NewsletterService.Tests.Infrastructure;
using OpenQA.Selenium;

namespace NewsletterService.Tests.Dashboard;

/// <summary>Every page fits a 375 px phone, the preview shows the email at its real widths, the dev inbox fits a laptop.</summary>
public sealed partial class DashboardBrowserTests
{
    private const string LongWord = "Harbourmasterofficeannouncementsandferrytimetableupdatesforthewholeseason";
    private const string LongUrl =
        "https://harbour.example/news/2026/11/02/the-quay-reopens-after-the-storm-and-every-ferry-returns-to-its-usual-pier?ref=newsletter";

    /// <summary>
    /// Opens each page at 375 px and measures it once loaded; collects every page wider than the screen (with the elements
    /// that stick out) so that one run names them all. Saves a screenshot of each.
    /// </summary>
    private static List<string> Overflowing(Browser browser, IEnumerable<string> paths, string shotPrefix)
    {
        var failures = new List<string>();
        foreach (var path in paths)
        {
            browser.Go(path);
            browser.Wait(d => ((IJavaScriptExecutor)d).ExecuteScript("return document.readyState") as string == "complete");
            var measured = Measure(browser, """
                const root = document.documentElement, width = root.clientWidth;
                const clipped = e => {
                  for (let p = e.parentElement; p; p = p.parentElement) if (getComputedStyle(p).overflowX !== 'visible') return true;
                  return false;
                };
                const wide = [...document.querySelectorAll('body *')]
                  .filter(e => e.getBoundingClientRect().right > width + 0.5 && !clipped(e))
                  .slice(0, 4).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().replace(/\s+/g, '.') : '')
                    + ' ' + Math.round(e.getBoundingClientRect().right) + 'px');
                return [root.scrollWidth, width, wide.join(', ')];
                """);
            var (scroll, client, wide) = (Convert.ToInt64(measured[0]), Convert.ToInt64(measured[1]), measured[2]);
            Assert.True(client <= 400, $"The window is not a phone's: {client} px");
            if (scroll > client) failures.Add($"{path} is {scroll} px wide on a {client} px screen (sticking out: {wide})");
            var name = string.Join("-", path.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p.Length < 20));
            browser.Screenshot($"{shotPrefix}-{(name.Length == 0 ? "page" : name)}");
        }
        return failures;
    }

    /// <summary>The array a script returns.</summary>
    private static object[] Measure(Browser browser, string script) =>
        ((IReadOnlyCollection<object>)browser.Driver.ExecuteScript(script)!).ToArray();

    [SkippableFact]
    public async Task EveryDashboardAndPublicPage_FitsA375PxScreen_WithTheMenuFolded()
    {
        await using var web = new StaticWebServer();
        var feed = web.Put("/" + LongWord + ".rss", "application/rss+xml", Rss);
        await using var app = await NewsletterApp.StartOnKestrelAsync(
            new Dictionary<string, string?> { ["Feeds:AllowPrivateNetworks"] = "true" });
        var admin = app.Admin();
        await admin.CreateListAsync("harbour", "Harbour news and " + LongWord);
        var import = await admin.ImportSubscribersAsync(
            $"email,name,lists\n{LongWord[..60]}@example.test,{LongWord},harbour\nana@example.test,Ana,\n");
        Assert.Equal(2, import["imported"]!.GetValue<int>());
        await (await admin.PostAsJsonAsync("/api/feeds", new { url = feed, lists = new[] { "harbour" } }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var article = await (await admin.PostAsJsonAsync("/api/articles", new
        {
            title = "The quay reopens: " + LongWord, byline = "Aino Berg",
            body = $"First paragraph with a link {LongUrl} and {LongWord}.\n\n- a list\n- of things\n\n" +
                $"| a | table |\n|---|---|\n| {LongWord} | {LongUrl} |\n",
        })).ReadJsonAsync(HttpStatusCode.Created);
        var articleId = article["id"]!.GetValue<long>();
        var campaign = await admin.StartCampaignAsync(articleId);
        await admin.WaitForCampaignAsync(campaign);
        var reader = (await app.SubscriberAsync("ana@example.test")).Id;
        await app.Anonymous().SubscribeAsync("pending@example.test");
        var pending = (await app.SubscriberAsync("pending@example.test")).Id;

        using var browser = new Browser(app);
        browser.Driver.Manage().Window.Size = new Size(375, 800);
        var failures = Overflowing(browser, ["/admin/login"], "narrow");
        browser.Login();
        browser.WaitForText("h1", "Overview");
        Assert.False(browser.Driver.FindElement(By.CssSelector("header nav")).Displayed, "The menu is not folded at 375 px");
        browser.Click("label.menu-button");
        browser.Wait(d => d.FindElement(By.CssSelector("header nav a[href='/admin/feeds']")).Displayed);
        browser.Screenshot("narrow-menu-open");

        failures.AddRange(Overflowing(browser,
        [
            "/admin", "/admin/articles", "/admin/articles/edit", $"/admin/articles/edit/{articleId}",
            $"/admin/articles/preview/{articleId}",
            "/admin/campaigns", $"/admin/campaigns?articleId={articleId}", $"/admin/campaigns/details/{campaign}", "/admin/subscribers",
            "/admin/lists", "/admin/digests", "/admin/feeds", "/admin/settings", "/admin/audit",
            "/subscribe", $"/articles/{articleId}", $"/preferences/{app.Token(TokenPurpose.Preferences, reader)}",
            $"/preferences/{app.Token(TokenPurpose.Preferences, reader)}/delete",
            $"/unsubscribe/{app.Token(TokenPurpose.Unsubscribe, reader)}",
            $"/confirm/{app.Token(TokenPurpose.Confirm, pending)}", "/preferences/not-a-token", "/no-such-page",
        ], "narrow"));
        browser.Go($"/unsubscribe/{app.Token(TokenPurpose.Unsubscribe, reader)}");
        browser.Submit("main form button");
        failures.AddRange(Overflowing(browser, [browser.Path], "narrow-unsubscribed"));

        Assert.True(failures.Count == 0, "Pages wider than a phone:\n" + string.Join("\n", failures));
    }

    [SkippableFact]
    public async Task MenuIsAlwaysShown_OnAWideScreen()
    {
        await using var app = await NewsletterApp.StartOnKestrelAsync();
        using var browser = new Browser(app);
        browser.Go("/admin");
        browser.Login();

        Assert.True(browser.Find("header nav a[href='/admin/feeds']").Displayed);
        Assert.False(browser.Driver.FindElement(By.CssSelector("label.menu-button")).Displayed);
    }

    [SkippableFact]
    public async Task Preview_ShowsTheEmailAt600AndAt375Px_WithoutSidewaysScrolling()
    {
        await using var app = await NewsletterApp.StartOnKestrelAsync();
        var article = await (await app.Admin().PostAsJsonAsync("/api/articles",
            new { title = "Quay reopens", body = $"The quay is open. {LongUrl}\n\nMore." })).ReadJsonAsync(HttpStatusCode.Created);
        using var browser = new Browser(app);
        browser.Go($"/admin/articles/preview/{article["id"]}");
        browser.Login();
        browser.WaitForText("h1", "Quay reopens");
        browser.Screenshot("preview-widths");

        foreach (var (frame, width) in new[] { ("figure.desktop iframe", 600), ("figure.mobile iframe", 375) })
        {
            browser.Driver.SwitchTo().Frame(browser.Find(frame));
            browser.WaitForText("body", "The quay is open.");
            var m = Measure(browser, """
                const root = document.documentElement, container = document.querySelector('table.container');
                return [root.scrollWidth, root.clientWidth, container.getBoundingClientRect().width, window.innerWidth];
                """).Select(Convert.ToDouble).ToArray();
            browser.Driver.SwitchTo().DefaultContent();
            Assert.True(m[0] <= m[1], $"{frame} scrolls sideways: {m[0]} px of content in {m[1]} px");
            Assert.True(m[3] == width || (width == 600 && m[3] > 600), $"{frame} is {m[3]} px wide, expected {width}");
            if (width == 600) Assert.Equal(600, m[2]); // the email at its real width, whole
            else Assert.True(m[2] <= m[1], $"The email is {m[2]} px wide in a {m[1]} px frame");
        }
    }

    [SkippableFact]
    public async Task DevInboxMessage_FitsA1280PxScreen_WrapsItsText_AndFramesItsHtmlWithoutScripts()
    {
        var port = SmtpCapture.FreePort();
        await using var app = await NewsletterApp.StartOnKestrelAsync(new Dictionary<string, string?>
        {
            ["DevInbox:Enabled"] = "true", ["DevInbox:Port"] = port.ToString(),
        });
        // Its confirmation goes to the dev inbox.
        var subscribed = await app.Anonymous().SubscribeAsync(LongWord[..60] + "@example.test", LongWord);
        Assert.Equal(HttpStatusCode.Accepted, subscribed.StatusCode);
        using var browser = new Browser(app);
        browser.Driver.Manage().Window.Size = new Size(1280, 900);
        browser.Go("/dev/inbox");
        browser.Login();
        browser.Wait(d =>
        {
            d.Navigate().Refresh();
            return d.FindElements(By.CssSelector("table a[href^='/dev/inbox/']")).FirstOrDefault();
        }, seconds: 60)!.Click();
        browser.WaitForText("h2", "Text");

        var m = Measure(browser,
            "const r = document.documentElement, pre = document.querySelector('pre');" +
            "return [r.scrollWidth, r.clientWidth, pre.scrollWidth, pre.clientWidth, getComputedStyle(pre).whiteSpace];");
        browser.Screenshot("dev-inbox-message");
        Assert.True(Convert.ToInt64(m[0]) <= Convert.ToInt64(m[1]), $"The message page is {m[0]} px wide on a {m[1]} px screen");
        Assert.True(Convert.ToInt64(m[2]) <= Convert.ToInt64(m[3]), $"The text part does not wrap: {m[2]} px in {m[3]} px");
        Assert.Equal("pre-wrap", m[4]);
        var frame = browser.Find("iframe.mail");
        Assert.Equal("", frame.GetAttribute("sandbox")); // no scripts, no forms, no same origin
        browser.Driver.SwitchTo().Frame(frame);
        browser.WaitForText("body", "Please confirm");
        browser.Driver.SwitchTo().DefaultContent();
        var whole = browser.Find("a[href$='/html']").GetAttribute("href")!;
        var html = await app.Admin().GetAsync(whole);
        Assert.StartsWith("sandbox;", html.Headers.GetValues("Content-Security-Policy").Single());

        browser.Driver.Manage().Window.Size = new Size(375, 800);
        var failures = Overflowing(browser, ["/dev/inbox", browser.Path], "narrow-dev-inbox");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
