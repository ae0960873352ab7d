using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Dashboard;

public sealed partial class DashboardBrowserTests
{
    [SkippableFact]
    public async Task Lists_CreateShowsTheSlugError_ThenCreatesRenamesAndDeletesAList()
    {
        await using var app = await NewsletterApp.StartOnKestrelAsync();
        await app.Admin().CreateListAsync("culture", "Culture");
        await app.Admin().ImportSubscribersAsync("email,name,lists\nana@example.test,Ana,culture\nbo@example.test,Bo,\n");
        using var browser = new Browser(app);
        browser.Go("/admin");
        browser.Login();

        browser.Submit("nav a[href='/admin/lists']");
        browser.WaitForText("h1", "Lists");
        browser.Fill("#slug", "Harbour News!");
        browser.Fill("#name", "Harbour news");
        browser.Submit("main form:not([action*='handler']) button[type=submit]");
        browser.WaitForText("#slug-error", "slug must be 1-50 lower-case letters");
        Assert.Equal("Harbour news", browser.Find("#name").GetAttribute("value"));
        browser.Fill("#slug", "harbour");
        browser.Submit("main form:not([action*='handler']) button[type=submit]");
        browser.WaitForText(".alert.ok", "Created the list “Harbour news” (harbour).");
        browser.WaitForText("table", "harbour");
        Assert.Contains("Culture culture 1 0", browser.Text("table"));
        browser.Screenshot("lists");

        browser.Fill("#rename-harbour", "Harbour & quay");
        browser.Submit("form[action*='handler=Rename'][action*='slug=harbour'] button");
        browser.WaitForText(".alert.ok", "The list harbour is now called “Harbour & quay”.");
        browser.Click("form[action*='handler=Delete'][action*='slug=culture'] button");
        Assert.Contains("stay subscribed", browser.Wait(d => d.SwitchTo().Alert()).Text);
        browser.Wait(d => d.SwitchTo().Alert()).Dismiss();
        Assert.Contains("Culture", browser.Text("table")); // dismissed: nothing deleted
        browser.Click("form[action*='handler=Delete'][action*='slug=culture'] button");
        browser.Wait(d => d.SwitchTo().Alert()).Accept();
        browser.WaitForText(".alert.ok", "Deleted the list culture.");
        Assert.DoesNotContain("Culture", browser.Text("table"));
        Assert.Equal(2, await app.WithDbAsync(db => Task.FromResult(db.Subscribers.Count())));
    }
}
