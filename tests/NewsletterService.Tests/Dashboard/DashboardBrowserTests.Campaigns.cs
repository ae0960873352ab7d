using System.Net;
using System.Net.Http.Json;
using NewsletterService.Tests.Infrastructure;
using OpenQA.Selenium;

namespace NewsletterService.Tests.Dashboard;

/// <summary>Sending deliberately (the audience, then a confirmation), and a campaign page that ends on the API's numbers.</summary>
public sealed partial class DashboardBrowserTests
{
    private const string ListReaders = """
        email,name,lists,cadence
        anna@example.test,Anna,harbour,
        bert@example.test,Bert,harbour,immediate
        dina@example.test,Dina,harbour,daily
        carl@example.test,Carl,culture,
        nils@example.test,Nils,,
        """;

    [SkippableFact]
    public async Task CampaignForm_ShowsTheAudienceLive_AndSendsOnlyAfterAConfirmationThatNamesIt()
    {
        await using var app = await NewsletterApp.StartOnKestrelAsync();
        var admin = app.Admin();
        await admin.CreateListAsync("harbour", "Harbour news");
        await admin.CreateListAsync("culture", "Culture");
        await admin.ImportSubscribersAsync(ListReaders);
        await admin.ImportArticleAsync(SampleTexts.Article);
        using var browser = new Browser(app);
        browser.Go("/admin/campaigns");
        browser.Login();

        browser.WaitForText("[data-audience]", "Goes to 4 readers: every confirmed subscriber who takes articles as they come.");
        Assert.Contains("1 on a daily or weekly digest", browser.Text("[data-audience]"));
        browser.Click("input[name=lists][value=harbour]");
        browser.WaitForText("[data-audience]", "Goes to 2 readers: the confirmed members of Harbour news (2)");
        browser.Screenshot("campaign-form-audience");

        browser.Submit("main form button[type=submit]");
        browser.WaitForText("#confirm-title", $"Send “{SampleTexts.Title}” to 2 readers now?");
        Assert.Equal("Send to 2 readers now", browser.Text("[data-confirm-button]"));
        browser.Screenshot("campaign-confirm");
        Assert.Equal(0, (await (await admin.GetAsync("/api/campaigns")).ReadJsonAsync(HttpStatusCode.OK))["total"]!.GetValue<int>());

        browser.Submit("[data-confirm-button]");
        WaitUntilFinal(browser);
        Assert.Contains("The campaign has been sent.", browser.Text("[data-banner]"));
        Assert.Equal(["anna@example.test", "bert@example.test"], app.Smtp.Messages.Select(m => m.To.Mailboxes.Single().Address).Order());
    }

    [SkippableFact]
    public async Task CancelWhileSending_ThePageEndsOnTheApisFinalNumbers_WithNothingPending_AndSaysCancelled()
    {
        await using var app = await NewsletterApp.StartOnKestrelAsync(new Dictionary<string, string?> { ["Smtp:MaxConnections"] = "1" });
        app.Smtp.OnRecipient = _ => { Thread.Sleep(25); return null; };
        var admin = app.Admin();
        var article = await admin.ImportArticleAsync(SampleTexts.Article);
        await admin.ImportSubscribersAsync(Api.Csv(200));
        var id = await admin.StartCampaignAsync(article["id"]!.GetValue<long>());
        using var browser = new Browser(app);
        browser.Go($"/admin/campaigns/details/{id}");
        browser.Login();
        browser.WaitForText("[data-banner]", "The campaign is sending.");
        browser.Driver.ExecuteScript("window.sameDocument = true;");
        browser.Wait(_ => app.Smtp.Messages.Count >= 10);

        await (await admin.PostAsync($"/api/campaigns/{id}/cancel", null)).ReadJsonAsync(HttpStatusCode.OK);

        WaitUntilFinal(browser);
        var campaign = await admin.GetCampaignAsync(id);
        Assert.Equal(0, campaign["pending"]!.GetValue<int>());
        foreach (var field in new[] { "sent", "failed", "skipped", "cancelled", "pending", "total" })
            Assert.Equal(campaign[field]!.GetValue<int>().ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                browser.Find($"[data-field={field}]").Text);
        Assert.True(campaign["cancelled"]!.GetValue<int>() > 0);
        Assert.Equal("cancelled", browser.Text("[data-field=status]"));
        Assert.Equal($"The campaign was cancelled: {campaign["cancelled"]} readers did not get it.", browser.Text("[data-banner]"));
        Assert.Equal("alert error", browser.Find("[data-banner]").GetAttribute("class"));
        Assert.Equal(true, browser.Driver.ExecuteScript("return window.sameDocument === true;")); // polled, not reloaded
        var finishedLive = browser.Text("[data-field=completedAt]");
        browser.Screenshot("campaign-cancelled");

        browser.Go($"/admin/campaigns/details/{id}"); // the server's page says the same
        browser.WaitForText("[data-banner]", "The campaign was cancelled");
        Assert.Equal(finishedLive, browser.Text("[data-field=completedAt]"));
        Assert.Equal(campaign["cancelled"]!.GetValue<int>().ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
            browser.Text(".figures [data-field=cancelled]"));
    }

    [SkippableFact]
    public async Task FinishedCampaign_PageShowsWhenItFinished_HowLongItTook_AndItsAverageRate()
    {
        await using var app = await NewsletterApp.StartOnKestrelAsync();
        var admin = app.Admin();
        var article = await admin.ImportArticleAsync(SampleTexts.Article);
        await admin.ImportSubscribersAsync(Api.Csv(40));
        var id = await admin.StartCampaignAsync(article["id"]!.GetValue<long>());
        using var browser = new Browser(app);
        browser.Go($"/admin/campaigns/details/{id}");
        browser.Login();

        WaitUntilFinal(browser);
        var campaign = await admin.GetCampaignAsync(id);
        browser.Go($"/admin/campaigns/details/{id}");

        browser.WaitForText("[data-banner]", "The campaign has been sent.");
        var rate = campaign["averageRate"]!.GetValue<double>().ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(rate, browser.Text("[data-field=averageRate]"));
        Assert.Equal(rate, browser.Text(".figures [data-field=rate]"));
        Assert.Matches(@"^\d+ s$|^\d+ min \d+ s$", browser.Text("[data-field=duration]"));
        var finished = TimeZoneInfo.ConvertTimeFromUtc(campaign["completedAt"]!.GetValue<DateTime>().ToUniversalTime(), TimeZoneInfo.Local);
        Assert.Equal(finished.ToString("d MMM yyyy, HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            browser.Text("[data-field=completedAt]"));
        Assert.Equal("40", browser.Text("[data-field=sent]"));
        Assert.Equal("0", browser.Text("[data-field=pending]"));
        browser.Screenshot("campaign-finished");
    }

    /// <summary>Waits until the campaign page has rendered its last poll (the campaign is final: nothing will change).</summary>
    private static void WaitUntilFinal(Browser browser) =>
        browser.Wait(d => d.FindElements(By.CssSelector("[data-progress-url][data-final=true]")).Count == 1, seconds: 60);
}
