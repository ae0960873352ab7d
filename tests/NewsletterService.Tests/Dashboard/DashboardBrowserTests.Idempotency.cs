using Microsoft.EntityFrameworkCore;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Dashboard;

/// <summary>One click, one campaign: double submits from the page, and a reload after an action.</summary>
public sealed partial class DashboardBrowserTests
{
    [SkippableFact]
    public async Task CampaignForm_SubmittedTwiceAtOnceFromThePage_CreatesOneCampaign_AndADoubleClickToo()
    {
        await using var app = await NewsletterApp.StartOnKestrelAsync();
        var articleId = (await app.Admin().ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>();
        using var browser = new Browser(app);
        browser.Go("/admin/campaigns");
        browser.Login();
        browser.Submit("main form[data-once] button[type=submit]");
        browser.Find("[data-confirm-step] form[data-once] [data-confirm-button]");

        // Two posts of the same rendered confirmation at the same moment, as a double submit sends them (past any script).
        var urls = (IReadOnlyCollection<object>?)browser.Driver.ExecuteAsyncScript("""
            var done = arguments[arguments.length - 1], form = document.querySelector("[data-confirm-step] form[data-once]");
            var body = function () { return new FormData(form, form.querySelector("[data-confirm-button]")); };
            var post = function () { return fetch(form.action, { method: "POST", body: body(), credentials: "same-origin" }); };
            Promise.all([post(), post()]).then(function (rs) { done(rs.map(function (r) { return r.status + " " + r.url; })); });
            """) ?? [];
        Assert.Single(urls.Distinct());
        Assert.Matches(@"^200 http://127\.0\.0\.1:\d+/admin/campaigns/details/\d+$", (string)urls.First());
        Assert.Equal(1, await app.WithDbAsync(db => db.Campaigns.CountAsync()));

        // A double click on a fresh form: the second submit is held back while the first is on its way.
        browser.Go("/admin/campaigns");
        browser.Submit("main form[data-once] button[type=submit]");
        browser.Find("[data-confirm-step] [data-confirm-button]");
        browser.Driver.ExecuteScript("var b = document.querySelector('[data-confirm-step] [data-confirm-button]'); b.click(); b.click();");
        browser.WaitForText("[data-field=status]", "s");
        Assert.StartsWith("/admin/campaigns/details/", browser.Path);
        Assert.Equal(2, await app.WithDbAsync(db => db.Campaigns.CountAsync(c => c.ArticleId == articleId)));
        browser.Screenshot("campaign-created-once");
    }

    [SkippableFact]
    public async Task TestSend_ThenReload_SendsNoSecondMail()
    {
        await using var app = await NewsletterApp.StartOnKestrelAsync();
        var articleId = (await app.Admin().ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>();
        using var browser = new Browser(app);
        browser.Go($"/admin/articles/preview/{articleId}");
        browser.Login();

        browser.Fill("#email", "first.test@example.test");
        browser.Submit("form[action*='handler=Test'] button");
        browser.WaitForText(".alert.ok", "Sent a test to first.test@example.test");
        Assert.Equal($"/admin/articles/preview/{articleId}", browser.Path);
        browser.Screenshot("article-preview-test-sent");
        browser.Driver.Navigate().Refresh();
        browser.WaitForText("h1", SampleTexts.Title);

        // A later test arrives; had the reload sent the first again, that mail would have come before it.
        browser.Fill("#email", "second.test@example.test");
        browser.Submit("form[action*='handler=Test'] button");
        browser.WaitForText(".alert.ok", "Sent a test to second.test@example.test");
        await app.Smtp.WaitForAsync(2);
        Assert.Single(app.Smtp.To("first.test@example.test"));
        Assert.Single(app.Smtp.To("second.test@example.test"));
        Assert.Equal(2, app.Smtp.Messages.Count);
    }
}
