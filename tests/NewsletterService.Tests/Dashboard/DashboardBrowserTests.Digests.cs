using System.Net;
using System.Net.Http.Json;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Dashboard;

public sealed partial class DashboardBrowserTests
{
    [SkippableFact]
    public async Task Digests_ShowTheirSchedule_AndRunNowSendsOneOrSaysNobodyHasAnythingNew()
    {
        await using var app = await NewsletterApp.StartOnKestrelAsync(new Dictionary<string, string?>
        {
            ["Digests:TimeZone"] = "Europe/Berlin", ["Digests:Weekly:Cron"] = "30 6 * * 5",
        });
        var admin = app.Admin();
        await admin.ImportSubscribersAsync(
            "email,name,cadence\nana@example.test,Ana,daily\nbo@example.test,Bo,daily\ncy@example.test,Cy,weekly\n");
        await Task.Delay(20);
        var article = await admin.PostAsJsonAsync("/api/articles",
            new { title = "Ferry timetable published", body = "The new timetable.\n\nMore." });
        await article.ReadJsonAsync(HttpStatusCode.Created);
        using var browser = new Browser(app);
        browser.Go("/admin");
        browser.Login();

        browser.Submit("nav a[href='/admin/digests']");
        browser.WaitForText("section[aria-labelledby=digest-daily] dl", "0 7 * * *");
        Assert.Contains("(cron, in Europe/Berlin)", browser.Text("section[aria-labelledby=digest-daily] dl"));
        Assert.Contains("30 6 * * 5", browser.Text("section[aria-labelledby=digest-weekly] dl"));
        Assert.Matches(@"Next run\s+\d{1,2} \w{3} \d{4}, \d\d:\d\d", browser.Text("section[aria-labelledby=digest-daily] dl"));
        Assert.Contains("2 confirmed", browser.Text("section[aria-labelledby=digest-daily] dl"));

        browser.Click("form[action*='cadence=daily'] button");
        browser.Wait(d => d.SwitchTo().Alert()).Accept();
        browser.WaitForText(".alert.ok", "The daily digest is sending to 2 subscribers");
        browser.WaitForText("section[aria-labelledby=digest-daily] dl", "Campaign #1");
        browser.Screenshot("digests");

        browser.Submit(".alert.ok a");
        browser.WaitForText("h1", "Daily digest");
        browser.WaitForText("[data-field=status]", "sent", seconds: 60);
        Assert.Equal(["ana@example.test", "bo@example.test"], app.Smtp.Messages.Select(m => m.To.Mailboxes.Single().Address).Order());

        browser.Go("/admin/digests");
        browser.Click("form[action*='cadence=daily'] button");
        browser.Wait(d => d.SwitchTo().Alert()).Accept();
        browser.WaitForText(".alert.ok", "No daily digest was sent: No subscriber has new articles since their last digest.");
        Assert.Contains("Daily digest", browser.Text("#recent ~ table"));
        Assert.Equal(2, app.Smtp.Messages.Count);
    }
}
