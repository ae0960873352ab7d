using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Idempotency;

/// <summary>The <c>Idempotency-Key</c> header on <c>POST /api/campaigns</c>, <c>/api/articles</c> and <c>.../import</c>.</summary>
public abstract class IdempotencyKeyTests(Database database) : IAsyncLifetime
{
    private NewsletterApp _app = null!;
    private long _articleId;

    public async Task InitializeAsync()
    {
        _app = await NewsletterApp.StartAsync(database);
        _articleId = (await _app.Admin().ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static Task<HttpResponseMessage> PostCampaignAsync(HttpClient client, string? key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/campaigns") { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    /// <summary>Posts the campaign of the test's article with <paramref name="key"/>; the id it was answered with.</summary>
    private async Task<long> CreateCampaignAsync(HttpClient client, string key)
    {
        var response = await PostCampaignAsync(client, key, new { articleId = _articleId });
        return (await response.ReadJsonAsync(HttpStatusCode.Created))["id"]!.GetValue<long>();
    }

    private Task<int> CampaignsAsync() => _app.WithDbAsync(db => db.Campaigns.CountAsync());

    [SkippableFact]
    public async Task Campaign_PostedTwiceWithTheSameKey_AnswersTheFirstCampaignAgain_AndCreatesOne()
    {
        var first = await PostCampaignAsync(_app.Admin(), "send-1", new { articleId = _articleId });
        var again = await PostCampaignAsync(_app.Admin(), "send-1", new { articleId = _articleId });

        var created = await first.ReadJsonAsync(HttpStatusCode.Created);
        var replayed = await again.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(created["id"]!.GetValue<long>(), replayed["id"]!.GetValue<long>());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal("application/json", again.Content.Headers.ContentType?.MediaType);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1, await CampaignsAsync());
        Assert.Equal(1, (await (await _app.Admin().GetAsync("/api/campaigns")).ReadJsonAsync(HttpStatusCode.OK))["total"]!.GetValue<int>());
    }

    [SkippableFact]
    public async Task Campaign_PostedWithDifferentKeys_MakesTwoCampaigns()
    {
        var one = await CreateCampaignAsync(_app.Admin(), "send-a");
        var two = await CreateCampaignAsync(_app.Admin(), "send-b");

        Assert.NotEqual(one, two);
        Assert.Equal(2, await CampaignsAsync());
    }

    [SkippableFact]
    public async Task Campaign_PostedConcurrentlyWithTheSameKey_MakesOneCampaign_AndEveryAnswerNamesIt()
    {
        var clients = Enumerable.Range(0, 8).Select(_ => _app.Admin()).ToList();

        var responses = await Task.WhenAll(clients.Select(c => PostCampaignAsync(c, "burst-1", new { articleId = _articleId })));

        var ids = new HashSet<long>();
        foreach (var response in responses) ids.Add((await response.ReadJsonAsync(HttpStatusCode.Created))["id"]!.GetValue<long>());
        Assert.Single(ids);
        Assert.Equal(1, await CampaignsAsync());
    }

    [SkippableFact]
    public async Task SameKey_WithAnotherBody_IsRefusedNamingTheHeader_AndCreatesNothing()
    {
        var fair = await _app.Admin().ImportArticleAsync(SampleTexts.Article.Replace("Harbour market", "Harbour fair"));
        var other = fair["id"]!.GetValue<long>();
        await CreateCampaignAsync(_app.Admin(), "send-2");

        var response = await PostCampaignAsync(_app.Admin(), "send-2", new { articleId = other });

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "Idempotency-Key");
        Assert.Contains("Idempotency-Key", problem["detail"]!.GetValue<string>());
        Assert.Equal(1, await CampaignsAsync());
    }

    [SkippableTheory]
    [InlineData("ключ")]
    [InlineData("tab\there")]
    [InlineData("201")]
    public async Task InvalidKey_IsRefusedWith400NamingTheHeader_AndCreatesNothing(string key)
    {
        if (key == "201") key = new string('k', 201);

        var response = await PostCampaignAsync(_app.Admin(), key, new { articleId = _articleId });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "Idempotency-Key");
        Assert.Equal(0, await CampaignsAsync());
    }

    [SkippableFact]
    public async Task KeySentTwiceInOneRequest_IsRefusedWith400()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/campaigns")
        { Content = JsonContent.Create(new { articleId = _articleId }) };
        request.Headers.Add("Idempotency-Key", ["one", "two"]);

        await (await _app.Admin().SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest, "Idempotency-Key");
        Assert.Equal(0, await CampaignsAsync());
    }

    [SkippableFact]
    public async Task Import_PostedTwiceWithTheSameKey_CreatesOneArticle()
    {
        var ids = new List<long>();
        for (var i = 0; i < 2; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/articles/import")
            { Content = new StringContent(SampleTexts.Article, Encoding.UTF8, "text/plain") };
            request.Headers.Add("Idempotency-Key", "import-1");
            ids.Add((await (await _app.Admin().SendAsync(request)).ReadJsonAsync(HttpStatusCode.Created))["id"]!.GetValue<long>());
        }

        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(2, await _app.WithDbAsync(db => db.Articles.CountAsync())); // the one from InitializeAsync and this one
    }

    [SkippableFact]
    public async Task Create_RefusedForInvalidInput_AnswersTheSameProblemAgain_AndAFixedRequestNeedsANewKey()
    {
        var responses = new List<HttpResponseMessage>();
        foreach (var title in new[] { "", "", "Fixed" })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/articles")
            { Content = JsonContent.Create(new { title, body = "Text." }) };
            request.Headers.Add("Idempotency-Key", "article-1");
            responses.Add(await _app.Admin().SendAsync(request));
        }

        await responses[0].AssertProblemAsync(HttpStatusCode.BadRequest, "title");
        await responses[1].AssertProblemAsync(HttpStatusCode.BadRequest, "title");
        await responses[2].AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "Idempotency-Key");
        Assert.Equal(1, await _app.WithDbAsync(db => db.Articles.CountAsync()));
    }

    [SkippableFact]
    public async Task Repeat_WhileTheFirstIsStillAtWork_WaitsThenAnswers409InProgress()
    {
        var settings = new Dictionary<string, string?> { ["Idempotency:WaitForFirst"] = "00:00:00.3" };
        await using var app = await NewsletterApp.StartBesideAsync(_app, settings);
        await CreateCampaignAsync(_app.Admin(), "slow-1");
        // As if the first request were still at work: its answer is not stored yet.
        await _app.WithDbAsync(db => db.IdempotencyKeys.ExecuteUpdateAsync(u => u.SetProperty(k => k.StatusCode, (int?)null)));

        var response = await PostCampaignAsync(app.Admin(), "slow-1", new { articleId = _articleId });

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("in progress", problem["detail"]!.GetValue<string>());
        Assert.Equal(1, await CampaignsAsync());
    }

    [SkippableFact]
    public async Task FirstRequest_ThatFailedWithA500_GivesItsKeyUp_SoTheRetryCreates()
    {
        Task<HttpResponseMessage> PostArticleAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/articles")
            { Content = JsonContent.Create(new { title = "Quay", body = "Text." }) };
            request.Headers.Add("Idempotency-Key", "retry-1");
            return _app.Admin().SendAsync(request);
        }
        await _app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE \"Articles\" RENAME TO \"ArticlesAway\""));
        var failed = await PostArticleAsync();
        await _app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE \"ArticlesAway\" RENAME TO \"Articles\""));

        var retried = await PostArticleAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("Quay", (await retried.ReadJsonAsync(HttpStatusCode.Created))["title"]!.GetValue<string>());
        Assert.False(retried.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, await _app.WithDbAsync(db => db.Articles.CountAsync()));
    }

    [SkippableFact]
    public async Task Key_HoldsAcrossWebProcesses()
    {
        await using var other = await NewsletterApp.StartBesideAsync(_app);

        var first = await CreateCampaignAsync(_app.Admin(), "shared-1");
        var again = await CreateCampaignAsync(other.Admin(), "shared-1");

        Assert.Equal(first, again);
        Assert.Equal(1, await CampaignsAsync());
    }

    [SkippableFact]
    public async Task Key_IsForgottenAfter24Hours_AndExpiredKeysArePruned()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await NewsletterApp.StartBesideAsync(_app, time: clock);
        await CreateCampaignAsync(app.Admin(), "daily-1");
        await CreateCampaignAsync(app.Admin(), "other-1");

        clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        await CreateCampaignAsync(app.Admin(), "daily-1");

        Assert.Equal(3, await CampaignsAsync());
        Assert.Equal(["daily-1"], await _app.WithDbAsync(db => db.IdempotencyKeys.Select(k => k.Key).ToListAsync()));
    }
}

public sealed class IdempotencyKeyOnSqlite() : IdempotencyKeyTests(Database.Sqlite);

public sealed class IdempotencyKeyOnPostgres() : IdempotencyKeyTests(Database.Postgres);
