using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Digests;

/// <summary>Daily digests with a clock the test moves: which articles each reader gets, and that nobody gets one twice.</summary>
public abstract class DigestTests(Database database) : IAsyncLifetime
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

    private async Task ReadersAsync(params string[] names) =>
        await _admin.ImportSubscribersAsync("email,name,cadence\n" + string.Concat(names.Select(n => $"{n}@example.test,{n},daily\n")));

    private async Task ArticleAsync(string title, params string[] lists)
    {
        var response = await _admin.PostAsJsonAsync("/api/articles",
            new { title, body = $"{title}: the first paragraph.\n\nMore.", lists });
        await response.ReadJsonAsync(HttpStatusCode.Created);
    }

    /// <summary>Runs the daily digest now; the campaign it made (after it was sent), or null when it made none.</summary>
    private async Task<JsonNode?> RunDailyAsync()
    {
        var response = await _admin.PostAsync("/api/digests/daily/run", null);
        if (response.StatusCode == HttpStatusCode.OK) return null;
        var campaign = await response.ReadJsonAsync(HttpStatusCode.Created);
        return await _admin.WaitForCampaignAsync(campaign["id"]!.GetValue<long>());
    }

    private string DigestTo(string name) => _app.Smtp.To($"{name}@example.test").Single().TextBody ?? "";

    private void Later(int hours = 1) => _clock.Advance(TimeSpan.FromHours(hours));

    [SkippableFact]
    public async Task DailyRun_SendsOneDigestWithTheNewArticlesNewestFirst_AndASecondRunSendsNothing()
    {
        await ReadersAsync("ana");
        Later();
        await ArticleAsync("Ferry timetable published");
        Later();
        await ArticleAsync("Harbour market reopens");
        Later();

        var digest = await RunDailyAsync();
        var again = await RunDailyAsync();

        Assert.Equal("digest", digest!["kind"]!.GetValue<string>());
        Assert.Equal(1, digest["sent"]!.GetValue<int>());
        Assert.Null(again);
        var mail = _app.Smtp.To("ana@example.test").Single();
        Assert.Equal("Daily digest: Harbour market reopens (+1 more)", mail.Subject);
        Assert.True(mail.TextBody!.IndexOf("Harbour market reopens", StringComparison.Ordinal)
            < mail.TextBody.IndexOf("Ferry timetable published", StringComparison.Ordinal));
        Assert.Contains("Ferry timetable published: the first paragraph.", mail.TextBody);
        Assert.NotNull(mail.Headers["List-Unsubscribe"]);
    }

    [SkippableFact]
    public async Task NextDigest_HasOnlyTheArticlesPublishedSinceTheLastOne()
    {
        await ReadersAsync("ana");
        Later();
        await ArticleAsync("Ferry timetable published");
        Later();
        await RunDailyAsync();
        Later(24);
        await ArticleAsync("Lighthouse tours begin");
        Later();

        await RunDailyAsync();

        var mails = _app.Smtp.To("ana@example.test").OrderBy(m => m.Date).ToList();
        Assert.Equal(2, mails.Count);
        Assert.Contains("Lighthouse tours begin", mails[1].TextBody);
        Assert.DoesNotContain("Ferry timetable published", mails[1].TextBody);
    }

    [SkippableFact]
    public async Task Reader_WhoJoinedAfterAnArticle_DoesNotGetThatArticle()
    {
        await ReadersAsync("ana");
        Later();
        await ArticleAsync("Ferry timetable published");
        Later();
        await ReadersAsync("bo");
        Later();
        await ArticleAsync("Harbour market reopens");
        Later();

        await RunDailyAsync();

        Assert.Contains("Ferry timetable published", DigestTo("ana"));
        Assert.DoesNotContain("Ferry timetable published", DigestTo("bo"));
        Assert.Contains("Harbour market reopens", DigestTo("bo"));
    }

    [SkippableFact]
    public async Task AfterDowntime_OneDigestCoversTheWholeGap()
    {
        await ReadersAsync("ana");
        foreach (var day in new[] { "Monday", "Tuesday", "Wednesday" })
        {
            Later(24);
            await ArticleAsync($"News of {day}");
        }
        Later();

        var digest = await RunDailyAsync();

        Assert.Equal(1, digest!["total"]!.GetValue<int>());
        var text = DigestTo("ana");
        Assert.All(new[] { "Monday", "Tuesday", "Wednesday" }, day => Assert.Contains($"News of {day}", text));
    }

    [SkippableFact]
    public async Task RunWithNothingNew_CreatesNoCampaign()
    {
        await ReadersAsync("ana");
        Later();

        Assert.Null(await RunDailyAsync());
        var campaigns = await (await _admin.GetAsync("/api/campaigns")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, campaigns["total"]!.GetValue<int>());
    }

    [SkippableFact]
    public async Task ConcurrentRuns_NeverSendAnyoneTheSameDigestTwice()
    {
        await ReadersAsync(Enumerable.Range(0, 30).Select(i => $"reader{i}").ToArray());
        Later();
        await ArticleAsync("Ferry timetable published");
        Later();

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _admin.PostAsync("/api/digests/daily/run", null)));

        Assert.Single(runs, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(runs, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
        await _app.Smtp.WaitForAsync(30);
        await Task.Delay(500);
        Assert.Equal(30, _app.Smtp.Messages.Count);
        Assert.All(_app.Smtp.Messages.GroupBy(m => m.To.Mailboxes.Single().Address), g => Assert.Single(g));
    }

    [SkippableFact]
    public async Task Digest_KeepsListArticlesForTheListsMembers_AndLeavesOutImmediateReaders()
    {
        await (await _admin.PostAsJsonAsync("/api/lists", new { slug = "sport", name = "Sport" })).ReadJsonAsync(HttpStatusCode.Created);
        await _admin.ImportSubscribersAsync(
            "email,name,cadence,lists\nana@example.test,Ana,daily,sport\nbo@example.test,Bo,daily,\ncy@example.test,Cy,immediate,sport\n");
        Later();
        await ArticleAsync("Regatta results", "sport");
        await ArticleAsync("Council meeting moved");
        Later();

        await RunDailyAsync();

        Assert.Contains("Regatta results", DigestTo("ana"));
        Assert.DoesNotContain("Regatta results", DigestTo("bo"));
        Assert.Contains("Council meeting moved", DigestTo("bo"));
        Assert.Empty(_app.Smtp.To("cy@example.test"));
    }

    [SkippableFact]
    public async Task Digest_LinksAListArticleWithATokenThatOpensIt_AndAFeedLinkOnlyWhenItIsAWebAddress()
    {
        await _admin.CreateListAsync("sport", "Sport");
        await _admin.ImportSubscribersAsync("email,name,cadence,lists\nana@example.test,Ana,daily,sport\n");
        Later();
        await ArticleAsync("Regatta results", "sport");
        await ArticleAsync("Council meeting moved");
        await ArticleAsync("Ferry timetable published");
        await _app.WithDbAsync(async db =>
        {
            foreach (var (title, source) in new[] { ("Council meeting moved", "javascript:alert(document.domain)"),
                ("Ferry timetable published", "https://ferries.example.test/timetable") })
                await db.Articles.Where(a => a.Title == title).ExecuteUpdateAsync(a => a.SetProperty(x => x.SourceUrl, source));
            return 0;
        });
        Later();

        await RunDailyAsync();

        var links = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(_app.Smtp.To("ana@example.test").Single().HtmlBody!)
            .QuerySelectorAll("h2 a").ToDictionary(a => a.TextContent, a => a.GetAttribute("href")!);
        Assert.Equal("https://ferries.example.test/timetable", links["Ferry timetable published"]);
        Assert.Matches($"^{Regex.Escape(NewsletterApp.BaseUrl)}/articles/\\d+$", links["Council meeting moved"]);
        var regatta = links["Regatta results"];
        Assert.Matches($"^{Regex.Escape(NewsletterApp.BaseUrl)}/articles/\\d+\\?token=[\\w-]+$", regatta);
        var reader = _app.Anonymous();
        var page = await reader.GetAsync(regatta[NewsletterApp.BaseUrl.Length..]);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Regatta results: the first paragraph.", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound,
            (await reader.GetAsync(regatta[NewsletterApp.BaseUrl.Length..regatta.IndexOf('?')])).StatusCode);
    }

    [SkippableFact]
    public async Task Digests_AreListedWithTheirScheduleAndLastCampaign()
    {
        await ReadersAsync("ana");
        Later();
        await ArticleAsync("Ferry timetable published");
        Later();
        var digest = await RunDailyAsync();

        var list = (await (await _admin.GetAsync("/api/digests")).ReadJsonAsync(HttpStatusCode.OK)).AsArray();

        var daily = list.Single(d => d!["cadence"]!.GetValue<string>() == "daily")!;
        Assert.Equal("0 7 * * *", daily["cron"]!.GetValue<string>());
        Assert.Equal("UTC", daily["timeZone"]!.GetValue<string>());
        Assert.Equal("digest-daily", daily["recurringJobId"]!.GetValue<string>());
        Assert.NotNull(daily["nextRun"]);
        Assert.Equal(digest!["id"]!.GetValue<long>(), daily["lastCampaignId"]!.GetValue<long>());
    }
}

public sealed class DigestsOnSqlite() : DigestTests(Database.Sqlite);

public sealed class DigestsOnPostgres() : DigestTests(Database.Postgres);
