using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Accounts;

/// <summary>Each account may make its own API keys: a key acts as the account, with its role of the moment, until revoked.</summary>
public abstract partial class ApiKeyTests(Database database)
{
    private static async Task<(HttpClient Browser, string Key)> KeyOfAsync(NewsletterApp app, string email, string role)
    {
        await app.AddAccountAsync(email, role);
        var browser = await app.SignedInAsync(email);
        var made = await browser.PostFormAsync("/admin/account/keys?handler=Create",
            new Dictionary<string, string> { ["name"] = "CMS publish hook" }, formPage: "/admin/account/keys");
        var page = await made.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        return (browser, Key().Match(page).Value);
    }

    private static HttpClient With(NewsletterApp app, string key)
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<string> IdOfAsync(NewsletterApp app, string email) =>
        await app.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Email == email).Id));

    [SkippableFact]
    public async Task AWritersKey_ReadsAndPrepares_ButCannotManageSubscribers()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var (_, key) = await KeyOfAsync(app, "writer@newsroom.test", "writer");
        var script = With(app, key);

        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/articles")).StatusCode);
        (await script.PostAsync("/api/articles/import", new StringContent(SampleTexts.Article))).EnsureSuccessStatusCode();
        var refused = await script.PostAsync("/api/subscribers/import", new StringContent(Api.Csv(1), System.Text.Encoding.UTF8, "text/csv"));
        await refused.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(0, await app.WithDbAsync(db => Task.FromResult(db.Subscribers.Count())));
        var imported = Assert.Single((await app.Admin().GetFromJsonAsync<JsonNode>("/api/audit?action=article.import"))!["items"]!.AsArray());
        Assert.Equal("writer@newsroom.test", imported!["actor"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task AWritersKey_SubmitsACampaignForApproval_InsteadOfSendingIt()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var (_, key) = await KeyOfAsync(app, "writer@newsroom.test", "writer");
        var article = await app.Admin().ImportArticleAsync(SampleTexts.Article);

        var created = await (await With(app, key).PostAsJsonAsync("/api/campaigns", new { articleId = article["id"]!.GetValue<long>() }))
            .ReadJsonAsync(HttpStatusCode.Created);

        Assert.Equal("awaitingApproval", created["status"]!.GetValue<string>());
        var stored = await app.Admin().GetCampaignAsync(created["id"]!.GetValue<long>());
        Assert.Equal("writer@newsroom.test", stored["submittedBy"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task AKey_IsShownOnce_AndStoredOnlyAsAHash()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var (browser, key) = await KeyOfAsync(app, "editor@newsroom.test", "editor");

        Assert.StartsWith("nsk_", key);
        var later = await browser.GetStringAsync("/admin/account/keys");
        Assert.DoesNotContain(key, later);
        Assert.Contains("CMS publish hook", later);
        Assert.Contains(key[..10], later); // its prefix, to tell keys apart
        var stored = await app.WithDbAsync(db => Task.FromResult(db.ApiKeys.Single()));
        Assert.Equal(32, stored.Hash.Length);
        Assert.DoesNotContain(key, stored.Prefix + stored.Name);
    }

    [SkippableFact]
    public async Task AKey_FollowsItsAccount_ARoleChangeAppliesAndDisablingStopsIt()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var (_, key) = await KeyOfAsync(app, "viewer@newsroom.test", "viewer");
        var script = With(app, key);
        var id = await IdOfAsync(app, "viewer@newsroom.test");
        Assert.Equal(HttpStatusCode.Forbidden, (await script.PostAsJsonAsync("/api/lists", new { slug = "news", name = "News" })).StatusCode);

        (await app.Admin().PatchAsJsonAsync($"/api/users/{id}", new { role = "editor" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Created, (await script.PostAsJsonAsync("/api/lists", new { slug = "news", name = "News" })).StatusCode);

        (await app.Admin().PatchAsJsonAsync($"/api/users/{id}", new { disabled = true })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/lists")).StatusCode);
    }

    [SkippableFact]
    public async Task ARevokedKey_GetsUnauthorized_AndTheRevocationIsAudited()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var (browser, key) = await KeyOfAsync(app, "editor@newsroom.test", "editor");
        var keyId = await app.WithDbAsync(db => Task.FromResult(db.ApiKeys.Single().Id));
        Assert.Equal(HttpStatusCode.OK, (await With(app, key).GetAsync("/api/lists")).StatusCode);

        await (await browser.PostFormAsync($"/admin/account/keys?handler=Revoke&id={keyId}", new Dictionary<string, string>(),
            formPage: "/admin/account/keys")).ReadRedirectAsync("/admin/account/keys");

        var refused = await With(app, key).GetAsync("/api/lists");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
        var audit = (await app.Admin().GetFromJsonAsync<JsonNode>("/api/audit?action=api-key"))!["items"]!.AsArray();
        Assert.Equal(["api-key.created", "api-key.revoked"], audit.Select(e => e!["action"]!.GetValue<string>()).Order().ToArray());
    }

    [SkippableFact]
    public async Task NobodyRevokesAnotherAccountsKey()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var (_, key) = await KeyOfAsync(app, "editor@newsroom.test", "editor");
        var (other, _) = await KeyOfAsync(app, "writer@newsroom.test", "writer");
        var editorsKey = await app.WithDbAsync(db => Task.FromResult(db.ApiKeys.OrderBy(k => k.Id).First().Id));

        await (await other.PostFormAsync($"/admin/account/keys?handler=Revoke&id={editorsKey}", new Dictionary<string, string>(),
            formPage: "/admin/account/keys")).ReadRedirectAsync("/admin/account/keys");

        Assert.Contains("There is no such key of yours.", await other.GetStringAsync("/admin/account/keys"));
        Assert.Equal(HttpStatusCode.OK, (await With(app, key).GetAsync("/api/lists")).StatusCode);
    }

    [SkippableFact]
    public async Task AKeyWithoutAName_IsRefused_NamingTheField()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        await app.AddAccountAsync("editor@newsroom.test", "editor");
        var browser = await app.SignedInAsync("editor@newsroom.test");

        var refused = await browser.PostFormAsync("/admin/account/keys?handler=Create",
            new Dictionary<string, string> { ["name"] = "  " }, formPage: "/admin/account/keys");

        Assert.Contains("Give the key a name", await refused.Content.ReadAsStringAsync());
        Assert.Equal(0, await app.WithDbAsync(db => Task.FromResult(db.ApiKeys.Count())));
    }

    [GeneratedRegex("nsk_[A-Za-z0-9_-]{43}")]
    private static partial Regex Key();
}

public sealed class ApiKeyOnSqlite() : ApiKeyTests(Database.Sqlite);

public sealed class ApiKeyOnPostgres() : ApiKeyTests(Database.Postgres);
