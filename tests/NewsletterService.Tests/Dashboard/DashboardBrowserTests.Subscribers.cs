using NewsletterService.Tests.Infrastructure;
using OpenQA.Selenium;

namespace NewsletterService.Tests.Dashboard;

public sealed partial class DashboardBrowserTests
{
    [SkippableFact]
    public async Task Subscribers_FilterByListAndCadence_AndTheOverviewCountsThemByList()
    {
        await using var app = await NewsletterApp.StartOnKestrelAsync();
        var admin = app.Admin();
        await admin.CreateListAsync("harbour", "Harbour news");
        await admin.CreateListAsync("culture", "Culture");
        await admin.ImportSubscribersAsync("""
            email,name,lists,cadence
            ana@example.test,Ana,harbour,daily
            bo@example.test,Bo,harbour;culture,weekly
            cy@example.test,Cy,culture,daily
            di@example.test,Di,,
            """);
        using var browser = new Browser(app);
        browser.Go("/admin");
        browser.Login();
        browser.WaitForText("#by-list + table", "Harbour news 2 0");
        Assert.Contains("Culture 2 0", browser.Text("#by-list + table"));
        Assert.Contains("Daily", browser.Text("#digests + table"));
        browser.Screenshot("overview-lists-digests");

        browser.Go("/admin/subscribers");
        browser.Click("#list-filter option[value=harbour]");
        browser.Click("#cadence option[value=daily]");
        browser.Submit("form[role=search] button");
        browser.WaitForText("#list", "1 subscriber");
        Assert.Contains("list=harbour", browser.Path);
        Assert.Contains("ana@example.test", browser.Text("main table"));
        Assert.Equal("harbour", browser.Find("#list-filter").GetAttribute("value"));
        Assert.Equal("daily", browser.Find("#cadence").GetAttribute("value"));
        Assert.Contains("cadence=daily", browser.Find("a[download]").GetAttribute("href"));
        browser.Screenshot("subscribers-filtered");

        browser.Click("#cadence option[value='']");
        browser.Submit("form[role=search] button");
        browser.WaitForText("#list", "2 subscribers");
        Assert.Equal(["ana@example.test", "bo@example.test"],
            browser.Driver.FindElements(By.CssSelector("main table tbody tr td:first-child")).Select(e => e.Text).Order());
    }
}
