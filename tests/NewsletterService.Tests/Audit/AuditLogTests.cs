using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NewsletterService.Audit;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Audit;

/// <summary>The audit log: who did what, read through <c>/api/audit</c> and <c>/admin/audit</c>; pruned after its retention.</summary>
public abstract class AuditLogTests(Database database)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [SkippableFact]
    public async Task CancelByApi_IsRecorded_WithTheApiKeyAsActor()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var admin = app.Admin();
        var id = await ScheduleAsync(admin);

        (await admin.PostAsync($"/api/campaigns/{id}/cancel", null)).EnsureSuccessStatusCode();

        var entry = Assert.Single(await EntriesAsync(admin, "action=campaign.cancel"));
        Assert.Equal("api key", entry["actor"]!.GetValue<string>());
        Assert.Equal($"campaign {id}", entry["target"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task CancelOnTheDashboard_IsRecorded_WithTheSignedInEditorAsActor()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var id = await ScheduleAsync(app.Admin());
        var browser = app.Anonymous();
        await (await browser.LoginAsync()).ReadRedirectAsync("/admin");

        var cancelled = await browser.PostFormAsync($"/admin/campaigns/details/{id}?handler=Cancel", new Dictionary<string, string>(),
            formPage: $"/admin/campaigns/details/{id}");

        await cancelled.ReadRedirectAsync($"/admin/campaigns/details/{id}");
        var entry = Assert.Single(await EntriesAsync(app.Admin(), "action=campaign.cancel"));
        Assert.Equal(NewsletterApp.AdminEmail, entry["actor"]!.GetValue<string>());
        Assert.Equal($"campaign {id}", entry["target"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task SignInsAndFailedSignIns_AreRecorded_WithTheAddressTyped()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var browser = app.Anonymous();

        await browser.LoginAsync(password: "not the password");
        await (await browser.LoginAsync()).ReadRedirectAsync("/admin");

        var entries = await EntriesAsync(app.Admin(), "action=sign-in");
        Assert.Equal(["sign-in", "sign-in.failed"], entries.Select(e => e["action"]!.GetValue<string>()));
        Assert.All(entries, e => Assert.Equal(NewsletterApp.AdminEmail, e["actor"]!.GetValue<string>()));
        Assert.Equal("wrong email or password", entries[1]["details"]!["reason"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Filters_SelectByActorActionFamilyAndDays()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = await NewsletterApp.StartAsync(database, time: clock);
        var admin = app.Admin();
        var first = await ScheduleAsync(admin); // 2 March: article.import and campaign.schedule by the API key
        clock.Advance(TimeSpan.FromDays(2));
        var browser = app.Anonymous();
        await (await browser.LoginAsync()).ReadRedirectAsync("/admin"); // 4 March: sign-in by the editor
        (await admin.PostAsync($"/api/campaigns/{first}/cancel", null)).EnsureSuccessStatusCode(); // 4 March: campaign.cancel

        Assert.Equal(["campaign.cancel", "campaign.schedule"], Actions(await EntriesAsync(admin, "action=campaign")));
        var editor = Uri.EscapeDataString(NewsletterApp.AdminEmail.ToUpperInvariant());
        Assert.Equal(["sign-in"], Actions(await EntriesAsync(admin, "actor=" + editor)));
        Assert.Equal(["campaign.cancel", "campaign.schedule", "article.import"], Actions(await EntriesAsync(admin, "actor=api%20key")));
        Assert.Equal(["campaign.schedule", "article.import"], Actions(await EntriesAsync(admin, "from=2026-03-01&to=2026-03-03")));
        Assert.Equal(["campaign.cancel", "sign-in"], Actions(await EntriesAsync(admin, "from=2026-03-04")));
        Assert.Equal(["campaign.schedule", "article.import"], Actions(await EntriesAsync(admin, "to=2026-03-02T09:00:00Z")));
        Assert.Empty(await EntriesAsync(admin, "to=2026-03-02T08:59:59Z"));
    }

    [SkippableFact]
    public async Task Paging_ReturnsTheRequestedPage_NewestFirst_WithTheTotal()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var admin = app.Admin();
        var ids = new List<long>();
        for (var i = 0; i < 3; i++) ids.Add(await ScheduleAsync(admin));

        var page = await (await admin.GetAsync("/api/audit?action=campaign.schedule&page=2&pageSize=2")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(3, page["total"]!.GetValue<int>());
        Assert.Equal($"campaign {ids[0]}", Assert.Single(page["items"]!.AsArray())!["target"]!.GetValue<string>());
    }

    [SkippableTheory]
    [InlineData("action=campaign;drop", "action")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-40", "to")]
    [InlineData("from=2026-03-05&to=2026-03-01", "to")]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=many", "pageSize")]
    public async Task BadFilter_Is400_NamingTheField(string query, string field)
    {
        await using var app = await NewsletterApp.StartAsync(database);

        await (await app.Admin().GetAsync("/api/audit?" + query)).AssertProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [SkippableFact]
    public async Task Pruning_DeletesEntriesOlderThanTheRetention_Only_AndAgainNothing()
    {
        // A short retention: advancing the fake clock by a year would run every 1-second timer of the host a year's worth of times.
        var clock = new FakeTimeProvider(Start);
        await using var app = await NewsletterApp.StartAsync(database, time: clock,
            settings: new Dictionary<string, string?> { ["Audit:Retention"] = "2.00:00:00" });
        var admin = app.Admin();
        var old = await ScheduleAsync(admin);
        clock.Advance(TimeSpan.FromDays(1));
        var recent = await ScheduleAsync(admin);
        clock.Advance(TimeSpan.FromHours(36)); // the first is 2.5 days old, the second 1.5

        Assert.Equal(2, await PruneAsync(app)); // the old article.import and campaign.schedule
        Assert.Equal(0, await PruneAsync(app));

        var left = await app.WithDbAsync(db => db.AuditEntries.Select(e => e.Target).ToListAsync());
        Assert.Equal(2, left.Count);
        Assert.Contains($"campaign {recent}", left);
        Assert.DoesNotContain($"campaign {old}", left);
    }

    [SkippableFact]
    public async Task HostileValues_AreShownEncoded_OnTheAuditPage()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        const string hostile = "<script>alert(1)</script>@example.test";
        var browser = app.Anonymous();
        await browser.LoginAsync(email: hostile);
        await (await browser.LoginAsync()).ReadRedirectAsync("/admin");
        await app.Admin().ImportArticleAsync(SampleTexts.Article.Replace(SampleTexts.Title, "<img src=x onerror=alert(2)> Storm"));

        var html = await browser.GetStringAsync("/admin/audit");

        Assert.DoesNotContain("<script>alert(1)", html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Contains(hostile, WebUtility.HtmlDecode(html));
        Assert.Contains("<img src=x onerror=alert(2)> Storm", WebUtility.HtmlDecode(html));
    }

    [SkippableFact]
    public async Task AuditPage_FiltersByAction_AndNamesABadDay()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var id = await ScheduleAsync(app.Admin());
        var browser = app.Anonymous();
        await (await browser.LoginAsync()).ReadRedirectAsync("/admin");

        var filtered = WebUtility.HtmlDecode(await browser.GetStringAsync("/admin/audit?action=campaign"));
        var bad = await browser.GetStringAsync("/admin/audit?from=someday");

        Assert.Contains($"campaign {id}", filtered);
        Assert.DoesNotContain("<code>sign-in</code>", filtered);
        Assert.Contains("from must be a date", bad);
    }

    private static async Task<long> ScheduleAsync(HttpClient admin)
    {
        var article = (await admin.ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>();
        return await admin.StartCampaignAsync(article, DateTimeOffset.UtcNow.AddYears(5));
    }

    private static async Task<List<JsonNode>> EntriesAsync(HttpClient admin, string query) =>
        (await (await admin.GetAsync("/api/audit?" + query)).ReadJsonAsync(HttpStatusCode.OK))["items"]!.AsArray().Select(e => e!).ToList();

    private static List<string> Actions(List<JsonNode> entries) => entries.Select(e => e["action"]!.GetValue<string>()).ToList();

    private static async Task<int> PruneAsync(NewsletterApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AuditPruning>().PruneAsync(CancellationToken.None);
    }
}

public sealed class AuditLogOnSqlite() : AuditLogTests(Database.Sqlite);

public sealed class AuditLogOnPostgres() : AuditLogTests(Database.Postgres);

public sealed class AuditOptionsTests
{
    [Theory]
    [InlineData("00:00:01")]
    [InlineData("4000.00:00:00")]
    public async Task RetentionOutOfRange_StopsTheService_NamingTheKey(string retention)
    {
        var error = await NewsletterApp.StartupErrorAsync(new Dictionary<string, string?> { ["Audit:Retention"] = retention });

        Assert.Contains("Retention", error);
    }
}
