using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Accounts;

/// <summary>An owner manages the accounts on the users page and through <c>/api/users</c>; every change is in the audit log.</summary>
public abstract class UsersTests(Database database)
{
    private static async Task<string> IdOfAsync(NewsletterApp app, string email) =>
        await app.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Email == email).Id));

    private static async Task<List<JsonNode>> AuditAsync(NewsletterApp app, string action) =>
        (await app.Admin().GetFromJsonAsync<JsonNode>("/api/audit?action=" + action))!["items"]!.AsArray().Select(n => n!).ToList();

    [SkippableFact]
    public async Task ARoleChange_AppliesToTheNextRequest_AndIsAudited()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        await app.AddAccountAsync("writer@newsroom.test", "writer");
        var writer = await app.SignedInAsync("writer@newsroom.test");
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.GetAsync("/admin/subscribers/export")).StatusCode);
        var owner = await app.SignedInAsync(NewsletterApp.AdminEmail, NewsletterApp.AdminPassword);

        var changed = await owner.PostFormAsync($"/admin/users?handler=Role&id={await IdOfAsync(app, "writer@newsroom.test")}",
            new Dictionary<string, string> { ["role"] = "editor" }, formPage: "/admin/users");

        await changed.ReadRedirectAsync("/admin/users");
        Assert.Contains("writer@newsroom.test is now an editor.", await owner.GetStringAsync("/admin/users"));
        Assert.Equal(HttpStatusCode.OK, (await writer.GetAsync("/admin/subscribers/export")).StatusCode);
        var entry = Assert.Single(await AuditAsync(app, "user.role-changed"));
        Assert.Equal(NewsletterApp.AdminEmail, entry["actor"]!.GetValue<string>());
        Assert.Equal("writer", entry["details"]!["from"]!.GetValue<string>());
        Assert.Equal("editor", entry["details"]!["to"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task DisablingAnAccount_SignsItOutEverywhere_AndKeepsItOut_UntilEnabled()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        await app.AddAccountAsync("editor@newsroom.test", "editor");
        var editor = await app.SignedInAsync("editor@newsroom.test");
        var id = await IdOfAsync(app, "editor@newsroom.test");

        (await app.Admin().PatchAsJsonAsync($"/api/users/{id}", new { disabled = true })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Redirect, (await editor.GetAsync("/admin/articles")).StatusCode);
        var refused = await app.Anonymous().LoginAsync("editor@newsroom.test", TestAccounts.Password);
        Assert.Contains("Wrong email or password.", await refused.Content.ReadAsStringAsync());
        var user = await (await app.Admin().PatchAsJsonAsync($"/api/users/{id}", new { disabled = false })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("active", user["status"]!.GetValue<string>());
        await app.SignedInAsync("editor@newsroom.test");
        Assert.Single(await AuditAsync(app, "user.disabled"));
        Assert.Single(await AuditAsync(app, "user.enabled"));
    }

    [SkippableFact]
    public async Task TheConfiguredOwner_CannotBeDemotedDisabledOrRemoved_NorCanAnOwnerChangeThemselves()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var configured = await IdOfAsync(app, NewsletterApp.AdminEmail);
        await app.AddAccountAsync("second.owner@newsroom.test", "owner");
        var second = await app.SignedInAsync("second.owner@newsroom.test");
        var secondId = await IdOfAsync(app, "second.owner@newsroom.test");

        await (await app.Admin().PatchAsJsonAsync($"/api/users/{configured}", new { role = "viewer" })).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await app.Admin().DeleteAsync($"/api/users/{configured}")).AssertProblemAsync(HttpStatusCode.Conflict);
        var own = await second.PostFormAsync($"/admin/users?handler=Disable&id={secondId}", new Dictionary<string, string>(), formPage: "/admin/users");
        await own.ReadRedirectAsync("/admin/users");
        Assert.Contains("You cannot change or remove your own account here", await second.GetStringAsync("/admin/users"));

        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/admin/users")).StatusCode);
        await (await app.Admin().PatchAsJsonAsync($"/api/users/{secondId}", new { role = "nobody" })).AssertProblemAsync(HttpStatusCode.BadRequest, "role");
    }

    [SkippableFact]
    public async Task RemovingAnAccount_EndsItsSessions_AndTheAuditLogKeepsWhatItDid()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        await app.AddAccountAsync("leaver@newsroom.test", "editor");
        var leaver = await app.SignedInAsync("leaver@newsroom.test");
        var id = await IdOfAsync(app, "leaver@newsroom.test");

        Assert.Equal(HttpStatusCode.NoContent, (await app.Admin().DeleteAsync($"/api/users/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await leaver.GetAsync("/admin/articles")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Admin().GetAsync($"/api/users/{id}")).StatusCode);
        Assert.Single(await AuditAsync(app, "sign-in"), e => e["actor"]!.GetValue<string>() == "leaver@newsroom.test");
        Assert.Single(await AuditAsync(app, "user.deleted"));
    }

    [SkippableFact]
    public async Task TheUsersPage_ListsAccountsWithTheirRoles_AndEncodesTheirAddresses()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        (await app.Admin().PostAsJsonAsync("/api/users", new { email = "o'brien&co@newsroom.test", role = "viewer" })).EnsureSuccessStatusCode();

        var page = await (await app.SignedInAsync(NewsletterApp.AdminEmail, NewsletterApp.AdminPassword)).GetStringAsync("/admin/users");

        Assert.Contains("href=\"/admin/users\"", page);
        Assert.DoesNotContain("o'brien&co@", page);
        Assert.Contains("o&#x27;brien&amp;co@newsroom.test", page);
        Assert.Contains("Resend invitation", page);
    }

    [SkippableFact]
    public async Task ResendingAnInvitation_MailsANewLink_UntilItIsTakenUp()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var created = await (await app.Admin().PostAsJsonAsync("/api/users", new { email = "slow@newsroom.test", role = "writer" }))
            .ReadJsonAsync(HttpStatusCode.Created);
        await app.LinkAsync("slow@newsroom.test", "/admin/password/invitation");

        (await app.Admin().PostAsync($"/api/users/{created["id"]}/invitation", null)).EnsureSuccessStatusCode();
        var second = await app.LinkAsync("slow@newsroom.test", "/admin/password/invitation", nth: 2);
        var browser = app.Anonymous();
        await (await browser.PostFormAsync(second, new Dictionary<string, string>
        { ["NewPassword"] = TestAccounts.Password, ["Repeated"] = TestAccounts.Password })).ReadRedirectAsync("/admin");

        await (await app.Admin().PostAsync($"/api/users/{created["id"]}/invitation", null)).AssertProblemAsync(HttpStatusCode.Conflict);
    }
}

public sealed class UsersOnSqlite() : UsersTests(Database.Sqlite);

public sealed class UsersOnPostgres() : UsersTests(Database.Postgres);
