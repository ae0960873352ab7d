using NewsletterService.Tests.Infrastructure;
using OpenQA.Selenium;

namespace NewsletterService.Tests.Dashboard;

/// <summary>An editor in headless Chromium against the service on Kestrel, sending to a real SMTP capture.</summary>
public sealed partial class DashboardBrowserTests
{
    [SkippableFact]
    public async Task Login_RefusesAWrongPassword_ThenOpensTheDashboard()
    {
        await using var app = await NewsletterApp.StartOnKestrelAsync();
        using var browser = new Browser(app);

        browser.Go("/admin/settings");
        browser.WaitForText("h2", "Log in to the dashboard");
        Assert.StartsWith("/admin/login", browser.Path);
        browser.Screenshot("login");
        browser.Login(password: "not the password");
        browser.WaitForText(".alert.error", "Wrong email or password.");
        browser.Login();

        browser.WaitForText("h1", "Settings");
        Assert.Equal("/admin/settings", browser.Path);
        Assert.Contains("127.0.0.1", browser.Text("dl.settings"));
        browser.Submit("form[action*='handler=Test'] button");
        browser.WaitForText(".alert.ok", $"Connected to 127.0.0.1:{app.Smtp.Port}");
        browser.Screenshot("settings");
    }

    [SkippableFact]
    public async Task Hangfire_IsRefusedLoggedOut_AndShownLoggedIn()
    {
        await using var app = await NewsletterApp.StartOnKestrelAsync();
        using var browser = new Browser(app);

        browser.Go("/hangfire");
        browser.WaitForText("h2", "Log in to the dashboard");
        Assert.StartsWith("/admin/login?ReturnUrl=%2Fhangfire", browser.Path);
        browser.Login();
        browser.WaitForText(".navbar-brand", "Hangfire Dashboard");
        Assert.StartsWith("/hangfire", browser.Path);
        browser.Screenshot("hangfire");

        browser.Go("/admin");
        browser.Submit("nav a[href='/hangfire']");
        browser.WaitForText(".navbar-brand", "Hangfire Dashboard");
        browser.Go("/admin");
        browser.Submit("header form.who button");
        browser.WaitForText("h2", "Log in to the dashboard");
        browser.Go("/hangfire");
        browser.WaitForText("h2", "Log in to the dashboard");
    }

    [SkippableFact]
    public async Task Editor_ImportsAnArticle_SendsItAsACampaign_AndWatchesTheProgressBarReach100Percent()
    {
        await using var app = await NewsletterApp.StartOnKestrelAsync(new Dictionary<string, string?> { ["Smtp:MaxConnections"] = "2" });
        app.Smtp.OnRecipient = _ => { Thread.Sleep(5); return null; }; // slow enough to watch the bar move
        using var browser = new Browser(app);
        browser.Go("/admin/articles");
        browser.Login();

        browser.Paste("#text", SampleTexts.Article);
        browser.Submit("form[action*='handler=Import'] button");
        browser.WaitForText("h1", SampleTexts.Title);
        browser.Driver.SwitchTo().Frame(browser.Find("figure.desktop iframe"));
        browser.WaitForText("body", "Nobody should lose a stall because of the weather");
        browser.Driver.SwitchTo().DefaultContent();
        browser.Screenshot("article-preview");

        browser.Fill("#email", "editor.test@example.test");
        browser.Submit("form[action*='handler=Test'] button");
        browser.WaitForText(".alert.ok", "Sent a test to editor.test@example.test");
        Assert.Equal("[Test] " + SampleTexts.Title, Assert.Single(app.Smtp.To("editor.test@example.test")).Subject);

        var csv = Path.Combine(app.DataFolder, "readers.csv");
        await File.WriteAllTextAsync(csv, Api.Csv(300) + "not-an-address,Nobody\n");
        browser.Go("/admin/subscribers");
        browser.Driver.FindElement(By.Id("file")).SendKeys(csv);
        browser.Submit("form[action*='handler=Import'] button");
        browser.WaitForText("[role=status]", "300 imported");
        Assert.Contains("'not-an-address' is not a valid email address.", browser.Text("[role=status] table"));
        browser.Fill("#q", "reader7@");
        browser.Submit("form[role=search] button");
        browser.WaitForText("#list", "1 subscriber");
        browser.Click("form[action*='handler=Delete'] button");
        browser.Wait(d => d.SwitchTo().Alert()).Accept();
        browser.WaitForText(".alert.ok", "reader7@example.test was deleted.");
        browser.Go("/admin/subscribers");
        browser.Screenshot("subscribers");

        browser.Go("/admin/campaigns");
        browser.Submit("main form button[type=submit]");
        browser.Submit("[data-confirm-button]");
        browser.WaitForText("[data-field=status]", "sending");
        browser.Driver.ExecuteScript("window.sameDocument = true;");
        browser.WaitForText("[data-field=percent]", "%");
        browser.Screenshot("campaign-sending");
        browser.WaitForText("[data-field=percent]", "100%", seconds: 90);
        browser.WaitForText("[data-field=status]", "sent");

        Assert.Equal(true, browser.Driver.ExecuteScript("return window.sameDocument === true;")); // updated without a reload
        Assert.Equal("299", browser.Text("[data-field=sent]"));
        Assert.Equal("100", browser.Find("[role=progressbar]").GetAttribute("aria-valuenow"));
        browser.Screenshot("campaign-sent");
        var perRecipient = app.Smtp.Messages.Where(m => m.Subject == SampleTexts.Title)
            .GroupBy(m => m.To.Mailboxes.Single().Address).ToList();
        Assert.Equal(299, perRecipient.Count);
        Assert.All(perRecipient, g => Assert.Single(g));
        Assert.DoesNotContain(app.Smtp.To("reader7@example.test"), m => m.Subject == SampleTexts.Title);

        browser.Go("/admin");
        browser.WaitForText("h1", "Overview");
        Assert.Contains("299 messages sent in the last 30 days",
            browser.Driver.FindElement(By.CssSelector("svg.chart title")).GetAttribute("textContent"));
        browser.Screenshot("overview");
    }

    [SkippableFact]
    public async Task Editor_PausesAndResumesACampaign()
    {
        await using var app = await NewsletterApp.StartOnKestrelAsync(new Dictionary<string, string?> { ["Smtp:MaxConnections"] = "1" });
        app.Smtp.OnRecipient = _ => { Thread.Sleep(25); return null; };
        var admin = app.Admin();
        await admin.ImportArticleAsync(SampleTexts.Article);
        await admin.ImportSubscribersAsync(Api.Csv(150));
        using var browser = new Browser(app);
        browser.Go("/admin/campaigns");
        browser.Login();

        browser.Submit("main form button[type=submit]");
        browser.Submit("[data-confirm-button]");
        browser.Wait(_ => app.Smtp.Messages.Count >= 5);
        browser.Submit("form[data-when=sending] button");
        browser.WaitForText(".alert.ok", "Paused.");
        browser.WaitForText("[data-field=status]", "paused");
        await Task.Delay(1500); // a message already handed to the server is finished; nothing after it
        var whilePaused = app.Smtp.Messages.Count;
        await Task.Delay(1500);
        Assert.Equal(whilePaused, app.Smtp.Messages.Count);
        Assert.InRange(whilePaused, 5, 149);
        browser.Screenshot("campaign-paused");

        browser.Submit("form[data-when=paused] button");
        browser.WaitForText(".alert.ok", "Resumed.");
        browser.WaitForText("[data-field=percent]", "100%", seconds: 90);
        browser.WaitForText("[data-field=status]", "sent");
        var perRecipient = app.Smtp.Messages.GroupBy(m => m.To.Mailboxes.Single().Address).ToList();
        Assert.Equal(150, perRecipient.Count);
        Assert.All(perRecipient, g => Assert.Single(g));
    }
}
