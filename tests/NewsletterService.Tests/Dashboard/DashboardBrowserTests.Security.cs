using System.Net.Http.Json;
using System.Text;
using NewsletterService.Tests.Infrastructure;
using OpenQA.Selenium;

namespace NewsletterService.Tests.Dashboard;

public sealed partial class DashboardBrowserTests
{
    /// <summary>A script that marks the page and the origin's storage, so that any run of it shows.</summary>
    private static string Mark(string name) => $"document.title='pwned-{name}';localStorage.setItem('pwned','{name}')";

    [SkippableFact]
    public async Task LoggedInEditor_ClickingEveryLinkOfAHostileArticlesPublicPage_RunsNoScript_AndFetchesNothingFromAdmin()
    {
        await using var app = await NewsletterApp.StartOnKestrelAsync();
        const string title = "Harbour minutes";
        var steal = "fetch('/admin/subscribers/export').then(function(r){return r.text()})"
            + ".then(function(t){localStorage.setItem('stolen',t)})";
        var page = Convert.ToBase64String(Encoding.UTF8.GetBytes($"<script>{Mark("data")}</script>"));
        var body = $"""
            The harbour board met on Tuesday; the [subscribe page]({app.Address}subscribe) has the details.

            - [Read the minutes](javascript:{steal};{Mark("link")})
            - [Upper case](JaVaScRiPt:{Mark("case")})
            - [Entity](&#106;avascript:{Mark("entity")})
            - <javascript:{Mark("autolink")}>
            - [Data page](data:text/html;base64,{page})
            - [Reference][minutes]
            - ![Chart](javascript:{Mark("image")})

            [minutes]: javascript:{Mark("reference")}
            """;
        var created = await app.Admin().PostAsJsonAsync("/api/articles", new { title, body });
        var article = (await created.ReadJsonAsync(System.Net.HttpStatusCode.Created))["id"]!.GetValue<long>();
        using var browser = new Browser(app);
        browser.Go("/admin");
        browser.Login();
        browser.WaitForText("h1", "Overview");
        var requestsBefore = app.Requests.Count;

        browser.Go($"/articles/{article}");
        browser.WaitForText("h1", title);
        var links = browser.Driver.FindElements(By.CssSelector("a")).Select(a => a.GetDomProperty("href") ?? "").ToList();
        Assert.Contains(links, l => l == $"{app.Address}subscribe"); // the test clicks at least one link that works
        var refused = 0;
        for (var i = 0; i < links.Count; i++)
        {
            browser.Go($"/articles/{article}");
            browser.WaitForText("h1", title);
            browser.ConsoleMessages(); // what loading the page reported (the image's refused source) is not this click's
            var pageUrl = browser.Driver.Url;
            browser.Driver.FindElements(By.CssSelector("a"))[i].Click();

            // Each click ends visibly: a new page for a web address, a console report for what Chromium refuses (or, were
            // the script to run, the changed title).
            var messages = new List<string>();
            browser.Wait(d =>
            {
                messages.AddRange(browser.ConsoleMessages());
                return messages.Count > 0 || d.Url != pageUrl || d.Title != title;
            });
            if (links[i].StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Contains(messages, m => m.Contains("Content Security Policy", StringComparison.Ordinal));
                refused++;
            }
            if (browser.Driver.Url == pageUrl) Assert.Equal(title, browser.Driver.Title);
        }

        browser.Go($"/articles/{article}");
        browser.WaitForText("h1", title);
        Assert.Equal(title, browser.Driver.Title);
        Assert.Null(browser.Driver.ExecuteScript("return localStorage.getItem('pwned')"));
        Assert.Null(browser.Driver.ExecuteScript("return localStorage.getItem('stolen')"));
        Assert.DoesNotContain(app.Requests.Skip(requestsBefore), r => r.Contains(" /admin", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(app.Requests.Skip(requestsBefore), r => r == "GET /subscribe"); // the recording sees the clicks that did go out
        browser.Screenshot($"hostile-article-{refused}-links-refused");
    }

    [SkippableFact]
    public async Task DashboardAndJobsPages_ShowUnderTheirCsp_WithoutAnythingRefused()
    {
        await using var app = await NewsletterApp.StartOnKestrelAsync();
        var admin = app.Admin();
        var article = (await admin.ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>();
        await admin.ImportSubscribersAsync(Api.Csv(3));
        var campaign = (await admin.WaitForCampaignAsync(await admin.StartCampaignAsync(article)))["id"]!.GetValue<long>();
        using var browser = new Browser(app);
        browser.Go("/admin/login");
        browser.WaitForText("h2", "Log in to the dashboard");
        Assert.DoesNotContain(browser.ConsoleMessages(), m => m.Contains("Content Security Policy", StringComparison.Ordinal));
        browser.Login();

        foreach (var (path, heading) in new[]
        {
            ("/admin", "h1"), ("/admin/articles", "h1"), ($"/admin/articles/edit/{article}", "h1"),
            ($"/admin/articles/preview/{article}", "h1"), ("/admin/campaigns", "h1"), ($"/admin/campaigns/details/{campaign}", "h1"),
            ("/admin/subscribers", "h1"), ("/admin/lists", "h1"), ("/admin/digests", "h1"), ("/admin/feeds", "h1"),
            ("/admin/settings", "h1"), ("/admin/audit", "h1"), ("/hangfire", ".navbar-brand"), ("/hangfire/recurring", ".navbar-brand"),
        })
        {
            browser.Go(path);
            browser.Find(heading);
            browser.Wait(d => Equals(((IJavaScriptExecutor)d).ExecuteScript("return document.readyState"), "complete"));
            if (path.StartsWith("/admin/articles/preview", StringComparison.Ordinal))
            {
                browser.Driver.SwitchTo().Frame(browser.Find("figure.desktop iframe"));
                browser.WaitForText("body", "Nobody should lose a stall because of the weather"); // the framed preview shows
                browser.Driver.SwitchTo().DefaultContent();
            }
            if (path.StartsWith("/admin/campaigns/details", StringComparison.Ordinal))
            {
                browser.Wait(d => d.FindElement(By.CssSelector(".progress .sent")).GetAttribute("width") == "100%");
                browser.Screenshot("campaign-details-under-csp");
            }
            var messages = browser.ConsoleMessages();
            Assert.False(messages.Any(m => m.Contains("Content Security Policy", StringComparison.Ordinal)),
                $"{path}: {string.Join("\n", messages)}");
        }
    }
}
