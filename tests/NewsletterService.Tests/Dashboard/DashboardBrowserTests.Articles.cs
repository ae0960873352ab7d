using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Dashboard;

public sealed partial class DashboardBrowserTests
{
    [SkippableFact]
    public async Task ArticleEditor_NamesFieldsByTheirLabels_EditsListsSubjectAndByline_Unpublishes_AndDeletes()
    {
        await using var app = await NewsletterApp.StartOnKestrelAsync();
        await app.Admin().CreateListAsync("harbour", "Harbour news");
        using var browser = new Browser(app);
        browser.Go("/admin");
        browser.Login();

        browser.Go("/admin/articles/edit");
        browser.Fill("#title", "   ");
        browser.Fill("#body", "The quay reopens on Monday.\n\nMore.");
        browser.Fill("#subject", "Quay open again");
        browser.Submit("form.panel button[type=submit]");
        browser.WaitForText("#title-error", "Headline is required.");
        Assert.Equal("Quay open again", browser.Find("#subject").GetAttribute("value"));

        browser.Fill("#title", "Quay reopens");
        browser.Fill("#byline", "By Aino Berg");
        browser.Fill("#preheader", "From Monday, with a new ferry stop");
        browser.Click("input[name=lists][value=harbour]");
        browser.Submit("form.panel button[type=submit]");
        browser.WaitForText(".alert.ok", "Saved “Quay reopens”.");
        var id = long.Parse(browser.Path.Split('/').Last());

        browser.Go($"/admin/articles/edit/{id}");
        Assert.Equal("Aino Berg", browser.Find("#byline").GetAttribute("value"));
        Assert.True(browser.Find("input[name=lists][value=harbour]").Selected);
        Assert.Equal("Quay open again", browser.Find("#subject").GetAttribute("value"));
        browser.Screenshot("article-edit");

        browser.Click("form[action*='handler=Unpublish'] button");
        browser.Wait(d => d.SwitchTo().Alert()).Accept();
        browser.WaitForText(".alert.ok", "Unpublished “Quay reopens”");
        Assert.Equal("unpublished", browser.Text("#state ~ p .badge"));
        browser.Screenshot("article-edit-unpublished");
        browser.Go("/admin/articles");
        Assert.Contains("unpublished", browser.Text("main table"));
        browser.Screenshot("articles");

        browser.Go($"/admin/articles/edit/{id}");
        browser.Submit("form[action*='handler=Publish'] button");
        browser.WaitForText(".alert.ok", "Published “Quay reopens” again.");

        browser.Click("form[action*='handler=Delete'] button");
        browser.Wait(d => d.SwitchTo().Alert()).Accept();
        browser.WaitForText(".alert.ok", "Deleted “Quay reopens”.");
        Assert.Equal("/admin/articles", browser.Path);
        Assert.Equal(0, await app.WithDbAsync(db => Task.FromResult(db.Articles.Count())));
    }
}
