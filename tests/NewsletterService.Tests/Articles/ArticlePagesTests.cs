using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using NewsletterService.Security;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Articles;

/// <summary><c>/articles/{id}</c> shows only what is public, and tells nothing about what is not.</summary>
public sealed class ArticlePagesTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 6, 0, 0, TimeSpan.Zero));
    private NewsletterApp _app = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _app = await NewsletterApp.StartAsync(time: _clock);
        _admin = _app.Admin();
        await _admin.CreateListAsync("harbour", "Harbour news");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<long> ArticleAsync(string title, DateTimeOffset? publishedAt = null, params string[] lists)
    {
        var response = await _admin.PostAsJsonAsync("/api/articles",
            new { title, body = $"{title}: the first paragraph.\n\nMore.", publishedAt, lists });
        return (await response.ReadJsonAsync(HttpStatusCode.Created))["id"]!.GetValue<long>();
    }

    private static HttpRequestMessage Get(string path, bool browser)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (browser) request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        return request;
    }

    /// <summary>Status, headers (but the date) and body; a problem's traceId differs by request, so it is left out.</summary>
    private async Task<string> AnswerAsync(string path, bool browser)
    {
        var response = await _app.Anonymous().SendAsync(Get(path, browser));
        var body = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            var problem = JsonNode.Parse(body)!.AsObject();
            Assert.NotNull(problem["traceId"]);
            problem.Remove("traceId");
            body = problem.ToJsonString();
        }
        var headers = response.Headers.Concat(response.Content.Headers).Where(h => h.Key != "Date")
            .Select(h => $"{h.Key}: {string.Join(",", h.Value)}").Order();
        return $"{(int)response.StatusCode}\n{string.Join("\n", headers)}\n\n{body}";
    }

    [Fact]
    public async Task FutureListOnlyAndMissingArticles_AllGetTheSame404_WithOrWithoutABadToken()
    {
        var future = await ArticleAsync("Next week's ferry strike", _clock.GetUtcNow().AddDays(7));
        var listOnly = await ArticleAsync("Harbour members meeting", lists: "harbour");
        var other = await ArticleAsync("Another members notice", lists: "harbour");
        var token = _app.Token(TokenPurpose.Article, listOnly);
        var tampered = token[..10] + (token[10] == 'A' ? 'B' : 'A') + token[11..];

        foreach (var browser in new[] { true, false })
        {
            var missing = await AnswerAsync("/articles/999999", browser);
            Assert.StartsWith("404\n", missing);
            Assert.Contains(browser ? "text/html" : "application/problem+json", missing);
            Assert.Equal(missing, await AnswerAsync($"/articles/{future}", browser));
            Assert.Equal(missing, await AnswerAsync($"/articles/{listOnly}", browser));
            Assert.Equal(missing, await AnswerAsync($"/articles/{listOnly}?token={tampered}", browser));
            Assert.Equal(missing, await AnswerAsync($"/articles/{other}?token={token}", browser)); // a token for another article
            Assert.Equal(missing,
                await AnswerAsync($"/articles/{listOnly}?token={_app.Token(TokenPurpose.Preferences, listOnly)}", browser));
            Assert.Equal(missing, await AnswerAsync($"/articles/{future}?token={_app.Token(TokenPurpose.Article, future)}", browser));
        }
    }

    [Fact]
    public async Task ListOnlyArticle_OpensWithTheTokenForIt()
    {
        var listOnly = await ArticleAsync("Harbour members meeting", lists: "harbour");

        var response = await _app.Anonymous().GetAsync($"/articles/{listOnly}?token={_app.Token(TokenPurpose.Article, listOnly)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Harbour members meeting", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ScheduledArticle_OpensOnceItsPublicationTimeHasCome()
    {
        var scheduled = await ArticleAsync("Market reopens", _clock.GetUtcNow().AddHours(2));
        Assert.Equal(HttpStatusCode.NotFound, (await _app.Anonymous().GetAsync($"/articles/{scheduled}")).StatusCode);

        _clock.Advance(TimeSpan.FromHours(2));

        var response = await _app.Anonymous().GetAsync($"/articles/{scheduled}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Market reopens: the first paragraph.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ListOnlyArticle_SavedInTheDashboardEditor_StaysListOnly()
    {
        var listOnly = await ArticleAsync("Harbour members meeting", lists: "harbour");
        var editor = _app.Anonymous();
        await (await editor.LoginAsync()).ReadRedirectAsync("/admin");

        var saved = await editor.PostFormAsync($"/admin/articles/edit/{listOnly}",
            new Dictionary<string, string> { ["title"] = "Members meeting moved", ["imageCredit"] = "", ["body"] = "It moved.\n\nMore." });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _app.Anonymous().GetAsync($"/articles/{listOnly}")).StatusCode);
        var response = await _app.Anonymous().GetAsync($"/articles/{listOnly}?token={_app.Token(TokenPurpose.Article, listOnly)}");
        Assert.Contains("Members meeting moved", await response.Content.ReadAsStringAsync());
    }
}
