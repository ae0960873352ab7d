using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
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
        await using var app = await NewsletterApp.StartAsync(database);
        var admin = app.Admin();
        var day = Start.UtcDateTime; // 2 March 2026, 09:00 UTC
        await app.WithDbAsync(db =>
        {
            db.AuditEntries.AddRange(
                new AuditEntry { At = day, Actor = "api key", Action = "article.import", Target = "article 1" },
                new AuditEntry { At = day, Actor = "api key", Action = "campaign.schedule", Target = "campaign 1" },
                new AuditEntry { At = day.AddDays(2), Actor = NewsletterApp.AdminEmail, Action = "sign-in" },
                new AuditEntry { At = day.AddDays(2), Actor = "api key", Action = "campaign.cancel", Target = "campaign 1" });
            return db.SaveChangesAsync();
        });

        Assert.Equal(["campaign.cancel", "campaign.schedule"], Actions(await EntriesAsync(admin, "action=campaign")));
        var editor = Uri.EscapeDataString(NewsletterApp.AdminEmail.ToUpperInvariant());
        Assert.Equal(["sign-in"], Actions(await EntriesAsync(admin, "actor=" + editor)));
        Assert.Equal(["campaign.cancel", "campaign.schedule", "article.import"], Actions(await EntriesAsync(admin, "actor=api%20key")));
        Assert.Equal(["campaign.schedule", "article.import"], Actions(await EntriesAsync(admin, "from=2026-03-01&to=2026-03-03")));
        Assert.Equal(["campaign.cancel", "sign-in"], Actions(await EntriesAsync(admin, "from=2026-03-04&to=2026-03-04")));
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
        await using var app = await NewsletterApp.StartAsync(database);
        var now = Start.UtcDateTime;
        await app.WithDbAsync(db =>
        {
            db.AuditEntries.AddRange(
                new AuditEntry { At = now.AddDays(-366), Actor = "system", Action = "campaign.send", Target = "campaign 1" },
                new AuditEntry { At = now.AddDays(-364), Actor = "system", Action = "campaign.send", Target = "campaign 2" },
                new AuditEntry { At = now, Actor = "system", Action = "campaign.send", Target = "campaign 3" });
            return db.SaveChangesAsync();
        });

        Assert.Equal(1, await PruneAsync(app, now)); // the default retention: 365 days
        Assert.Equal(0, await PruneAsync(app, now));

        var left = await app.WithDbAsync(db => db.AuditEntries.OrderBy(e => e.At).Select(e => e.Target).ToListAsync());
        Assert.Equal(["campaign 2", "campaign 3"], left);
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

    /// <summary>The daily job as it runs at <paramref name="now"/>, with the host's retention setting.</summary>
    private static async Task<int> PruneAsync(NewsletterApp app, DateTime now)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var pruning = new AuditPruning(scope.ServiceProvider.GetRequiredService<NewsletterService.Data.NewsletterDb>(),
            scope.ServiceProvider.GetRequiredService<IOptions<AuditOptions>>(), new FakeTimeProvider(new DateTimeOffset(now)),
            NullLogger<AuditPruning>.Instance);
        return await pruning.PruneAsync(CancellationToken.None);
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
