using System.Net;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Security;
using NewsletterService.Subscriptions;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Subscriptions;

public abstract class PreferenceCentreTests(Database database)
{
    private async Task<(NewsletterApp App, long Id, string Path)> StartWithReaderAsync()
    {
        var app = await NewsletterApp.StartAsync(database);
        var admin = app.Admin();
        await admin.CreateListAsync("harbour", "Harbour news");
        await admin.CreateListAsync("culture", "Culture");
        await admin.ImportSubscribersAsync("email,name,lists\nreader@example.test,<b>Rea</b>,harbour\n");
        var id = (await app.SubscriberAsync("reader@example.test")).Id;
        return (app, id, $"/preferences/{app.Token(TokenPurpose.Preferences, id)}");
    }

    [SkippableFact]
    public async Task Preferences_SavesNameListsAndCadence()
    {
        var (app, _, path) = await StartWithReaderAsync();
        await using var _app = app;
        var browser = app.Anonymous();
        var token = await browser.FormTokenAsync(path);

        var response = await browser.PostAsync(path, new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("name", "Rea Lind"), new("lists", "culture"), new("cadence", "weekly")]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Your preferences are saved.", await response.Content.ReadAsStringAsync());
        var reader = await app.SubscriberAsync("reader@example.test");
        Assert.Equal("Rea Lind", reader.Name);
        Assert.Equal(Cadence.Weekly, reader.Cadence);
        Assert.Equal(["culture"], reader.Memberships.Select(m => m.List!.Slug));
    }

    [SkippableFact]
    public async Task Preferences_RejectsAPostWithoutAntiforgeryToken()
    {
        var (app, _, path) = await StartWithReaderAsync();
        await using var _app = app;

        var response = await app.Anonymous().PostAsync(path, new FormUrlEncodedContent([new("name", "Mallory"), new("cadence", "weekly")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("<b>Rea</b>", (await app.SubscriberAsync("reader@example.test")).Name);
    }

    [SkippableFact]
    public async Task PreferencesPage_EncodesTheReadersName()
    {
        var (app, _, path) = await StartWithReaderAsync();
        await using var _app = app;

        var html = await app.Anonymous().GetStringAsync(path);

        Assert.Contains("value=\"&lt;b&gt;Rea&lt;/b&gt;\"", html);
        Assert.DoesNotContain("<b>Rea</b>", html);
    }

    [SkippableFact]
    public async Task DownloadMyData_ReturnsTheReadersRecordAsJson()
    {
        var (app, _, path) = await StartWithReaderAsync();
        await using var _app = app;

        var response = await app.Anonymous().GetAsync(path + "/data");

        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var data = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("reader@example.test", data["email"]!.GetValue<string>());
        Assert.Equal("confirmed", data["status"]!.GetValue<string>());
        Assert.Equal("harbour", data["lists"]![0]!["slug"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task DeleteMe_ErasesTheReader_AndAnImportCannotAddTheAddressBack()
    {
        var (app, _, path) = await StartWithReaderAsync();
        await using var _app = app;
        var browser = app.Anonymous();
        var token = await browser.FormTokenAsync(path);

        var response = await browser.PostAsync(path + "/delete",
            new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("confirm", "yes")]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(await app.FindSubscriberAsync("reader@example.test"));
        Assert.Equal(0, await app.WithDbAsync(db => db.ListMembers.CountAsync()));
        var suppressed = await app.WithDbAsync(db => db.Suppressions.SingleAsync());
        Assert.DoesNotContain("reader", suppressed.EmailHash);
        var report = await app.Admin().ImportSubscribersAsync("email\nReader@Example.test\n");
        Assert.Equal(0, report["imported"]!.GetValue<int>());
        Assert.Equal(1, report["errorCount"]!.GetValue<int>());
        Assert.Null(await app.FindSubscriberAsync("reader@example.test"));
    }

    [SkippableFact]
    public async Task DeleteMe_TakesTwoSteps_TheFirstShowsWhatItErases_AndOnlyTheConfirmingPostErases()
    {
        var (app, _, path) = await StartWithReaderAsync();
        await using var _app = app;
        var browser = app.Anonymous();
        var preferences = new HtmlParser().ParseDocument(await browser.GetStringAsync(path));
        var first = preferences.QuerySelectorAll("a").Single(a => a.TextContent.Contains("Delete my data"));
        Assert.Equal("danger-link", first.ClassName); // a red link to a page of its own, not a button like "Save preferences"
        Assert.Null(preferences.QuerySelectorAll("button").FirstOrDefault(b => b.TextContent.Contains("Delete")));

        var confirm = new HtmlParser().ParseDocument(await browser.GetStringAsync(first.GetAttribute("href")!));
        Assert.Contains("cannot be undone", confirm.Body!.TextContent);
        var button = confirm.QuerySelector("form button[type=submit]")!;
        Assert.Equal("Yes, delete my data", button.TextContent);
        Assert.Equal("danger", button.ClassName);
        Assert.NotNull(await app.FindSubscriberAsync("reader@example.test")); // looking erases nothing

        // A POST without the confirmation (a replayed old form, a prefetching scanner) only shows the confirm page again.
        var token = confirm.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var unconfirmed = await browser.PostAsync(path + "/delete", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.OK, unconfirmed.StatusCode);
        Assert.Contains("Yes, delete my data", await unconfirmed.Content.ReadAsStringAsync());
        Assert.NotNull(await app.FindSubscriberAsync("reader@example.test"));
        Assert.Empty(await app.WithDbAsync(db => db.Suppressions.ToListAsync()));

        var fields = confirm.QuerySelectorAll("form input")
            .Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value")!));
        var erased = await browser.PostAsync(confirm.QuerySelector("form")!.GetAttribute("action")!, new FormUrlEncodedContent(fields));
        Assert.Contains("Your data is deleted", await erased.Content.ReadAsStringAsync());
        Assert.Null(await app.FindSubscriberAsync("reader@example.test"));
    }

    [SkippableFact]
    public async Task DeleteMe_RejectsAnUnsubscribeToken()
    {
        var (app, id, _) = await StartWithReaderAsync();
        await using var _app = app;
        var wrong = $"/preferences/{app.Token(TokenPurpose.Unsubscribe, id)}";
        var browser = app.Anonymous();
        var token = await browser.FormTokenAsync("/subscribe");

        var response = await browser.PostAsync(wrong + "/delete", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(await app.FindSubscriberAsync("reader@example.test"));
    }
}

public sealed class PreferenceCentreOnSqlite() : PreferenceCentreTests(Database.Sqlite);

public sealed class PreferenceCentreOnPostgres() : PreferenceCentreTests(Database.Postgres);
