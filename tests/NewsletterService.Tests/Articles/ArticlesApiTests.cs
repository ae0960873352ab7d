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
        var response = await _app.Admin().PostAsync("/api/articles/import", new StringContent("Just a headline\n", Encoding.UTF8, "text/plain"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "body");
    }

    [SkippableFact]
    public async Task Import_AnswersProblemNamingTheTitle_WhenTheTextIsEmpty()
    {
        var response = await _app.Admin().PostAsync("/api/articles/import", new StringContent("\r\n\r\n", Encoding.UTF8, "text/plain"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "title");
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
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/articles", new { title = "x", body = "y" })).StatusCode);
    }

    [SkippableFact]
    public async Task Health_AnswersOk_WithoutCredentials()
    {
        Assert.Equal(HttpStatusCode.OK, (await _app.Anonymous().GetAsync("/healthz")).StatusCode);
    }
}

public sealed class ArticlesApiOnSqlite() : ArticlesApiTests(Database.Sqlite);

public sealed class ArticlesApiOnPostgres() : ArticlesApiTests(Database.Postgres);
