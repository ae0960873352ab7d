using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Articles;

public abstract class ArticlesApiTests(Database database) : IAsyncLifetime
{
    private NewsletterApp _app = null!;

    public async Task InitializeAsync() => _app = await NewsletterApp.StartAsync(database);
    public async Task DisposeAsync() => await _app.DisposeAsync();

    [SkippableFact]
    public async Task Import_AnswersCreatedWithTheParsedArticle()
    {
        var article = await _app.Admin().ImportArticleAsync(SampleTexts.Article);

        Assert.True(article["id"]!.GetValue<long>() > 0);
        Assert.Equal(SampleTexts.Title, article["title"]!.GetValue<string>());
        Assert.Equal(SampleTexts.Credit, article["imageCredit"]!.GetValue<string>());
        Assert.StartsWith("The covered market", article["standfirst"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Import_AnswersProblemNamingTheBody_WhenTheTextHasOnlyAHeadline()
    {
        var response = await _app.Admin()
            .PostAsync("/api/articles/import", new StringContent("Just a headline\n", Encoding.UTF8, "text/plain"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "body");
    }

    [SkippableFact]
    public async Task Import_AnswersProblemNamingTheTitle_WhenTheTextIsEmpty()
    {
        var response = await _app.Admin().PostAsync("/api/articles/import", new StringContent("\r\n\r\n", Encoding.UTF8, "text/plain"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "title");
    }

    [SkippableFact]
    public async Task Import_AnswersProblemNamingTheBody_AndStoresNothing_WhenTheBodyIsLongerThanAnyArticleMayBe()
    {
        var paragraph = string.Join(" ", Enumerable.Repeat("The harbour board met again and talked about the quay.", 10));
        var text = "Harbour board meets\n\n" + string.Join("\n\n", Enumerable.Repeat(paragraph, 400)); // ~220,000 characters, under 1 MiB

        var response = await _app.Admin().PostAsync("/api/articles/import", new StringContent(text, Encoding.UTF8, "text/plain"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "body");
        Assert.Equal("Text is longer than 200,000 characters.", problem["detail"]!.GetValue<string>());
        Assert.Equal(0, (await (await _app.Admin().GetAsync("/api/articles")).ReadJsonAsync(HttpStatusCode.OK))["total"]!.GetValue<int>());
    }

    [SkippableFact]
    public async Task Import_AnswersProblemNamingTheImageCredit_WhenTheCreditIsLongerThanACreditMayBe()
    {
        var credit = string.Join(" ", Enumerable.Repeat("Marta Lind/Harbour Photo Agency", 8)); // 255 characters
        var text = $"{credit}\nshow image\n\nHarbour board meets\n\nThe board met on Monday.\n\nMore.\n";

        var response = await _app.Admin().PostAsync("/api/articles/import", new StringContent(text, Encoding.UTF8, "text/plain"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "imageCredit");
    }

    [SkippableFact]
    public async Task Update_WithLists_MakesTheArticleListOnly_WithoutListsKeepsThem_AndWithNoneMakesItPublicAgain()
    {
        var admin = _app.Admin();
        await admin.CreateListAsync("harbour", "Harbour news");
        var id = (await (await admin.PostAsJsonAsync("/api/articles", new { title = "Quay works", body = "Quay works begin.\n\nMore." }))
            .ReadJsonAsync(HttpStatusCode.Created))["id"]!.GetValue<long>();
        async Task<HttpStatusCode> PublicPageAsync() => (await _app.Anonymous().GetAsync($"/articles/{id}")).StatusCode;
        Task<HttpResponseMessage> UpdateAsync(string[]? lists) =>
            admin.PutAsJsonAsync($"/api/articles/{id}", new { title = "Quay works", body = "Quay works begin.\n\nMore.", lists });
        Assert.Equal(HttpStatusCode.OK, await PublicPageAsync());

        await (await UpdateAsync(["Harbour"])).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, await PublicPageAsync());

        await (await UpdateAsync(null)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, await PublicPageAsync());

        await (await UpdateAsync([])).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, await PublicPageAsync());
    }

    [SkippableFact]
    public async Task Update_AnswersProblemNamingTheLists_AndChangesNothing_WhenAListDoesNotExist()
    {
        var admin = _app.Admin();
        var id = (await (await admin.PostAsJsonAsync("/api/articles", new { title = "Quay works", body = "Quay works begin." }))
            .ReadJsonAsync(HttpStatusCode.Created))["id"]!.GetValue<long>();
        var renamed = new { title = "Renamed", body = "Changed.", lists = (string[])["nowhere"] };

        var response = await admin.PutAsJsonAsync($"/api/articles/{id}", renamed);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "lists");
        Assert.Equal("There is no list 'nowhere'.", problem["detail"]!.GetValue<string>());
        var stored = await (await admin.GetAsync($"/api/articles/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Quay works", stored["title"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await _app.Anonymous().GetAsync($"/articles/{id}")).StatusCode);
    }

    [SkippableFact]
    public async Task Create_AnswersProblemNamingEachMissingField()
    {
        var response = await _app.Admin().PostAsJsonAsync("/api/articles", new { byline = "A. Writer" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "title");
        Assert.NotNull(problem["errors"]!["body"]);
    }

    [SkippableFact]
    public async Task Create_StoresAMarkdownArticle()
    {
        var response = await _app.Admin().PostAsJsonAsync("/api/articles", new
        {
            title = "Council budget passes", byline = "Lea Holm", imageCredit = "City archive", body = "First **paragraph**.\n\nSecond.",
            publishedAt = "2026-11-20T08:00:00Z",
        });

        var article = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Lea Holm", article["byline"]!.GetValue<string>());
        Assert.Equal(new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc), article["publishedAt"]!.GetValue<DateTime>().ToUniversalTime());
    }

    [SkippableFact]
    public async Task Preview_EncodesMarkupFromTheArticle_SoNoScriptReachesTheMail()
    {
        var admin = _app.Admin();
        var created = await (await admin.PostAsJsonAsync("/api/articles", new
        {
            title = "<script>alert('title')</script>", body = "Hello <script>alert('body')</script> <b>bold</b>",
        })).ReadJsonAsync(HttpStatusCode.Created);

        var html = await admin.GetStringAsync($"/api/articles/{created["id"]}/preview");

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>bold</b>", html);
        Assert.Contains("&lt;script&gt;", html);
    }

    [SkippableFact]
    public async Task Preview_ShowsTheImageCreditAsACredit()
    {
        var admin = _app.Admin();
        var article = await admin.ImportArticleAsync(SampleTexts.Article);

        var html = await admin.GetStringAsync($"/api/articles/{article["id"]}/preview");

        Assert.Contains("Photograph: " + SampleTexts.Credit, html);
        Assert.DoesNotContain("show image", html, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableTheory]
    [InlineData(null)]
    [InlineData("wrong-key-wrong-key-wrong-key-wrong-key")]
    public async Task AdminApi_AnswersUnauthorized_WithoutTheRightKey(string? key)
    {
        var client = _app.Anonymous();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        foreach (var path in new[] { "/api/articles", "/api/subscribers", "/api/campaigns/1" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(path)).StatusCode);
        // The jobs dashboard is also the editors': without a key, it sends a browser to the login page.
        var jobs = await client.GetAsync("/hangfire");
        if (key is null) Assert.Equal("/admin/login", jobs.Headers.Location?.AbsolutePath);
        else Assert.Equal(HttpStatusCode.Unauthorized, jobs.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await client.PostAsJsonAsync("/api/articles", new { title = "x", body = "y" })).StatusCode);
    }

    [SkippableFact]
    public async Task Health_AnswersOk_WithoutCredentials()
    {
        Assert.Equal(HttpStatusCode.OK, (await _app.Anonymous().GetAsync("/healthz")).StatusCode);
    }
}

public sealed class ArticlesApiOnSqlite() : ArticlesApiTests(Database.Sqlite);

public sealed class ArticlesApiOnPostgres() : ArticlesApiTests(Database.Postgres);
