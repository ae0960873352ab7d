using System.Net;
using System.Net.Http.Json;
using NewsletterService.Subscriptions;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Subscriptions;

public abstract partial class ListsTests(Database database)
{
    private const string Readers = """
        email,name,lists,cadence
        harbour@example.test,Hana,harbour,
        culture@example.test,Carl,culture,immediate
        both@example.test,Bo,harbour|culture,
        none@example.test,Nils,,
        digest@example.test,Dina,harbour,daily
        """;

    /// <summary>An app with the lists <c>harbour</c> and <c>culture</c>, and optionally readers imported.</summary>
    private async Task<NewsletterApp> StartWithListsAsync(string? readers = null)
    {
        var app = await NewsletterApp.StartAsync(database);
        var admin = app.Admin();
        await admin.CreateListAsync("harbour", "Harbour news");
        await admin.CreateListAsync("culture", "Culture");
        if (readers is not null) await admin.ImportSubscribersAsync(readers);
        return app;
    }

    [SkippableFact]
    public async Task Lists_CreatedThroughTheApi_AreListedWithTheirConfirmedMembers()
    {
        await using var app = await StartWithListsAsync(Readers);
        var admin = app.Admin();

        var lists = await (await admin.GetAsync("/api/lists")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(["culture", "harbour"], lists.AsArray().Select(l => l!["slug"]!.GetValue<string>()));
        Assert.Equal("Harbour news", lists[1]!["name"]!.GetValue<string>());
        Assert.Equal(3, lists[1]!["subscribers"]!.GetValue<int>());
    }

    [SkippableFact]
    public async Task CreateList_Answers409_WhenTheSlugIsTaken()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var admin = app.Admin();
        await admin.CreateListAsync("harbour", "Harbour news");

        var response = await admin.PostAsJsonAsync("/api/lists", new { slug = "harbour", name = "Again" });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [SkippableFact]
    public async Task CreateList_Answers400NamingTheSlug_WhenItIsNotASlug()
    {
        await using var app = await NewsletterApp.StartAsync(database);

        var response = await app.Admin().PostAsJsonAsync("/api/lists", new { slug = "Harbour News!", name = "Harbour" });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "slug");
    }

    [SkippableFact]
    public async Task Import_PutsSubscribersInTheListsAndCadenceOfTheirColumns()
    {
        await using var app = await StartWithListsAsync();
        var admin = app.Admin();

        var report = await admin.ImportSubscribersAsync(Readers.Replace("harbour|culture", "harbour;Culture"));

        Assert.Equal(5, report["imported"]!.GetValue<int>());
        var both = await (await admin.GetAsync("/api/subscribers?search=both")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["culture", "harbour"], both["items"]![0]!["lists"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(Cadence.Daily, (await app.SubscriberAsync("digest@example.test")).Cadence);
        Assert.Empty((await app.SubscriberAsync("none@example.test")).Memberships);
    }

    [SkippableFact]
    public async Task SubscribersApi_FiltersByListAndCadence()
    {
        await using var app = await StartWithListsAsync(Readers);

        var found = await (await app.Admin().GetAsync("/api/subscribers?list=harbour&cadence=daily")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(["digest@example.test"], found["items"]!.AsArray().Select(i => i!["email"]!.GetValue<string>()));
    }

    [SkippableFact]
    public async Task SubscribersApi_Answers400NamingTheCadence_WhenItIsUnknown()
    {
        await using var app = await NewsletterApp.StartAsync(database);

        var response = await app.Admin().GetAsync("/api/subscribers?cadence=hourly");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "cadence");
    }

    [SkippableFact]
    public async Task Import_ReportsRowsWithAnUnknownListOrCadence_AndImportsTheRest()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var admin = app.Admin();
        await admin.CreateListAsync("harbour", "Harbour news");

        var report = await admin.ImportSubscribersAsync(
            "email,lists,cadence\nok@example.test,harbour,weekly\nx@example.test,nope,\ny@example.test,,hourly\n");

        Assert.Equal(1, report["imported"]!.GetValue<int>());
        Assert.Equal(2, report["errorCount"]!.GetValue<int>());
        Assert.Equal([3L, 4L], report["errors"]!.AsArray().Select(e => e!["line"]!.GetValue<long>()));
    }

    [SkippableFact]
    public async Task Campaign_ForLists_ReachesOnlyTheirImmediateMembers()
    {
        await using var app = await StartWithListsAsync(Readers);
        var admin = app.Admin();
        var article = (await admin.ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>();

        var campaign = await admin.WaitForCampaignAsync(await admin.StartCampaignForListsAsync(article, "harbour"));

        Assert.Equal(["harbour"], campaign["lists"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(["both@example.test", "harbour@example.test"], app.Smtp.Messages.Select(m => m.To.Mailboxes.Single().Address).Order());
    }

    [SkippableFact]
    public async Task Campaign_WithoutLists_ReachesEveryConfirmedImmediateSubscriber()
    {
        await using var app = await StartWithListsAsync(Readers);
        var admin = app.Admin();
        var article = (await admin.ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>();

        await admin.WaitForCampaignAsync(await admin.StartCampaignAsync(article));

        Assert.Equal(["both@example.test", "culture@example.test", "harbour@example.test", "none@example.test"],
            app.Smtp.Messages.Select(m => m.To.Mailboxes.Single().Address).Order());
    }

    [SkippableFact]
    public async Task Campaign_Answers400NamingLists_WhenAListDoesNotExist()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var admin = app.Admin();
        var article = (await admin.ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>();

        var response = await admin.PostAsJsonAsync("/api/campaigns", new { articleId = article, lists = new[] { "nope" } });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "lists");
    }
}

public sealed class ListsOnSqlite() : ListsTests(Database.Sqlite);

public sealed class ListsOnPostgres() : ListsTests(Database.Postgres);
