using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Articles;

/// <summary>Deleting, unpublishing and republishing articles, their subject and preheader, and bylines, through the API.</summary>
public abstract class ArticleManagementTests(Database database) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 6, 0, 0, TimeSpan.Zero));
    private NewsletterApp _app = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _app = await NewsletterApp.StartAsync(database, time: _clock);
        _admin = _app.Admin();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<JsonNode> CreateAsync(object article) =>
        await (await _admin.PostAsJsonAsync("/api/articles", article)).ReadJsonAsync(HttpStatusCode.Created);

    private async Task<long> ArticleAsync(string title, string? byline = null) =>
        (await CreateAsync(new { title, byline, body = $"{title}: the first paragraph.\n\nMore." }))["id"]!.GetValue<long>();

    private async Task<HttpStatusCode> WebPageAsync(long id) => (await _app.Anonymous().GetAsync($"/articles/{id}")).StatusCode;

    [SkippableFact]
    public async Task Delete_AnswersNoContent_ForAnArticleNoCampaignUsed_AndNotFoundOnceGone()
    {
        var id = await ArticleAsync("Quay works postponed");

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/api/articles/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"/api/articles/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, await WebPageAsync(id));
        await (await _admin.DeleteAsync($"/api/articles/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task Delete_AnswersConflict_AndKeepsTheArticle_WhenACampaignSentIt()
    {
        await _admin.ImportSubscribersAsync(Api.Csv(2));
        var id = await ArticleAsync("Harbour festival dates");
        await _admin.WaitForCampaignAsync(await _admin.StartCampaignAsync(id));

        var problem = await (await _admin.DeleteAsync($"/api/articles/{id}")).AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("unpublish it instead", problem["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await _admin.GetAsync($"/api/articles/{id}")).StatusCode);
    }

    [SkippableFact]
    public async Task Delete_AnswersConflict_WhenADigestCarriedIt()
    {
        await _admin.ImportSubscribersAsync("email,name,cadence\nana@example.test,Ana,daily\n");
        _clock.Advance(TimeSpan.FromHours(1));
        var id = await ArticleAsync("Ferry timetable published");
        _clock.Advance(TimeSpan.FromHours(1));
        var digest = await (await _admin.PostAsync("/api/digests/daily/run", null)).ReadJsonAsync(HttpStatusCode.Created);
        await _admin.WaitForCampaignAsync(digest["id"]!.GetValue<long>());

        await (await _admin.DeleteAsync($"/api/articles/{id}")).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [SkippableFact]
    public async Task UnpublishedArticle_IsNotOnTheWeb_NotInADigest_AndCannotBeSent_UntilPublishedAgain()
    {
        await _admin.ImportSubscribersAsync("email,name,cadence\nana@example.test,Ana,daily\n");
        _clock.Advance(TimeSpan.FromHours(1));
        var kept = await ArticleAsync("Lighthouse tours start");
        var withdrawn = await ArticleAsync("Mayor resigns (wrong)");
        Assert.Equal(HttpStatusCode.OK, await WebPageAsync(withdrawn));

        var unpublished = await (await _admin.PostAsync($"/api/articles/{withdrawn}/unpublish", null)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("unpublished", unpublished["state"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, await WebPageAsync(withdrawn));
        var list = await (await _admin.GetAsync("/api/articles")).ReadJsonAsync(HttpStatusCode.OK);
        var listed = list["items"]!.AsArray().Single(a => a!["id"]!.GetValue<long>() == withdrawn)!;
        Assert.Equal("unpublished", listed["state"]!.GetValue<string>());
        var refused = await (await _admin.PostAsJsonAsync("/api/campaigns", new { articleId = withdrawn }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "articleId");
        Assert.Contains("unpublished", refused["errors"]!["articleId"]![0]!.GetValue<string>());

        _clock.Advance(TimeSpan.FromHours(1));
        var digest = await (await _admin.PostAsync("/api/digests/daily/run", null)).ReadJsonAsync(HttpStatusCode.Created);
        await _admin.WaitForCampaignAsync(digest["id"]!.GetValue<long>());
        var mail = Assert.Single(_app.Smtp.Messages);
        Assert.Contains("Lighthouse tours start", mail.TextBody);
        Assert.DoesNotContain("Mayor resigns", mail.TextBody);
        Assert.DoesNotContain("Mayor resigns", mail.HtmlBody);

        var published = await (await _admin.PostAsync($"/api/articles/{withdrawn}/publish", null)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("published", published["state"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, await WebPageAsync(withdrawn));
        Assert.Equal(HttpStatusCode.OK, await WebPageAsync(kept));
        await (await _admin.PostAsJsonAsync("/api/campaigns", new { articleId = withdrawn })).ReadJsonAsync(HttpStatusCode.Created);
    }

    [SkippableFact]
    public async Task Unpublish_IsRefusedWithConflict_WhileACampaignOfTheArticleIsScheduled()
    {
        var id = await ArticleAsync("Regatta moved to Sunday");
        await _admin.StartCampaignAsync(id, sendAt: _clock.GetUtcNow().AddDays(1));

        var problem = await (await _admin.PostAsync($"/api/articles/{id}/unpublish", null)).AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("cancel that campaign first", problem["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, await WebPageAsync(id));
        await (await _admin.PostAsync("/api/articles/999999/unpublish", null)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task SubjectAndPreheader_ReplaceTheHeadlineAndStandfirst_InTheSentMail()
    {
        await _admin.ImportSubscribersAsync(Api.Csv(1));
        var article = await CreateAsync(new
        {
            title = "Council passes the harbour budget", subject = "Your harbour, your budget: what changes",
            preheader = "Three things to know", body = "The council voted on Monday.\n\nMore.",
        });
        Assert.Equal("Your harbour, your budget: what changes", article["subject"]!.GetValue<string>());

        await _admin.WaitForCampaignAsync(await _admin.StartCampaignAsync(article["id"]!.GetValue<long>()));

        var mail = Assert.Single(_app.Smtp.Messages);
        Assert.Equal("Your harbour, your budget: what changes", mail.Subject);
        Assert.Contains(">Three things to know</div>", mail.HtmlBody);
        Assert.Contains("Council passes the harbour budget", mail.HtmlBody); // the headline stays the article's heading
    }

    [SkippableTheory]
    [InlineData("subject", "Budget\r\nBcc: everyone@example.test")]
    [InlineData("subject", "Budget\nX-Injected: 1")]
    [InlineData("subject", "Budget\u0000")]
    [InlineData("preheader", "Three things\r\nto know")]
    public async Task HostileSubjectOrPreheader_IsRefusedWith400NamingTheField_OnCreateAndUpdate(string field, string value)
    {
        var id = await ArticleAsync("Council passes the harbour budget");
        var fields = new Dictionary<string, string>
        {
            ["title"] = "Council passes the harbour budget", ["body"] = "Voted.\n\nMore.", [field] = value,
        };

        var created = await (await _admin.PostAsJsonAsync("/api/articles", fields)).AssertProblemAsync(HttpStatusCode.BadRequest, field);
        await (await _admin.PutAsJsonAsync($"/api/articles/{id}", fields)).AssertProblemAsync(HttpStatusCode.BadRequest, field);

        Assert.StartsWith(field == "subject" ? "Subject line must" : "Preheader must", created["errors"]![field]![0]!.GetValue<string>());
        var stored = await (await _admin.GetAsync($"/api/articles/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Null(stored[field]);
    }

    [SkippableFact]
    public async Task TooLongSubject_IsRefusedNamingTheField()
    {
        await (await _admin.PostAsJsonAsync("/api/articles", new { title = "Budget", body = "Voted.", subject = new string('s', 151) }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "subject");
    }

    [SkippableTheory]
    [InlineData("By Aino Berg")]
    [InlineData("by Aino Berg")]
    [InlineData("BY:  Aino   Berg")]
    [InlineData("Aino Berg")]
    public async Task Byline_IsStoredAndShownWithOneBy_HoweverItIsTyped(string typed)
    {
        var id = await ArticleAsync("Harbour market reopens", byline: typed);

        var article = await (await _admin.GetAsync($"/api/articles/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Aino Berg", article["byline"]!.GetValue<string>());
        var page = await (await _app.Anonymous().GetAsync($"/articles/{id}")).Content.ReadAsStringAsync();
        Assert.Contains("By Aino Berg", page);
        Assert.DoesNotContain("By By", page, StringComparison.OrdinalIgnoreCase);
        var preview = await (await _admin.GetAsync($"/api/articles/{id}/preview")).Content.ReadAsStringAsync();
        Assert.Contains("By Aino Berg", preview);
        Assert.DoesNotContain("By By", preview, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task Byline_OfAWriterNamedBy_IsNotCut()
    {
        var id = await ArticleAsync("Harbour market reopens", byline: "Byron Lind");

        var article = await (await _admin.GetAsync($"/api/articles/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Byron Lind", article["byline"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task MissingFields_AreNamedByTheirJsonKey_WithTheFormsLabelInTheMessage()
    {
        var problem = await (await _admin.PostAsJsonAsync("/api/articles", new { byline = "Aino Berg" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("Headline is required.", problem["errors"]!["title"]![0]!.GetValue<string>());
        Assert.Equal("Text is required.", problem["errors"]!["body"]![0]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Update_ChangesListsAndPublishDate()
    {
        await _admin.CreateListAsync("harbour", "Harbour");
        var id = await ArticleAsync("Members meeting");
        var later = _clock.GetUtcNow().AddDays(2);

        var updated = await (await _admin.PutAsJsonAsync($"/api/articles/{id}",
                new { title = "Members meeting", body = "Moved.", lists = new[] { "harbour" }, publishedAt = later }))
            .ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(later.UtcDateTime, updated["publishedAt"]!.GetValue<DateTime>().ToUniversalTime());
        var lists = await _app.WithDbAsync(db => db.Articles.Where(a => a.Id == id).SelectMany(a => a.Lists)
            .Join(db.Lists, l => l.ListId, m => m.Id, (_, m) => m.Slug).ToListAsync());
        Assert.Equal(["harbour"], lists);

        var cleared = new { title = "Members meeting", body = "Moved.", lists = Array.Empty<string>() };
        await (await _admin.PutAsJsonAsync($"/api/articles/{id}", cleared)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Empty(await _app.WithDbAsync(db => db.Articles.Where(a => a.Id == id).SelectMany(a => a.Lists).ToListAsync()));
    }
}

public sealed class ArticleManagementOnSqlite() : ArticleManagementTests(Database.Sqlite);

public sealed class ArticleManagementOnPostgres() : ArticleManagementTests(Database.Postgres);
