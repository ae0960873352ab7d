using System.Net;
using System.Net.Http.Json;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Accounts;

/// <summary>An owner invites someone by address and role; the mailed link sets their password once and signs them in.</summary>
public abstract class InvitationTests(Database database)
{
    private const string Invitation = "/admin/password/invitation";
    private const string NewPassword = "a newly chosen long password";

    [SkippableFact]
    public async Task Invite_MailsALink_ThatSetsThePasswordAndSignsInWithTheInvitedRole()
    {
        await using var app = await NewsletterApp.StartAsync(database);

        var created = await (await app.Admin().PostAsJsonAsync("/api/users", new { email = "Writer@Newsroom.test", role = "writer" }))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("writer@newsroom.test", created["email"]!.GetValue<string>());
        Assert.Equal("writer", created["role"]!.GetValue<string>());
        Assert.Equal("invited", created["status"]!.GetValue<string>());

        var link = await app.LinkAsync("writer@newsroom.test", Invitation);
        Assert.Contains("72 hours", app.Smtp.To("writer@newsroom.test")[0].TextBody);
        var browser = app.Anonymous();
        Assert.Contains("Welcome: choose your password", await browser.GetStringAsync(link));
        await (await browser.SetPasswordAsync(link, NewPassword)).ReadRedirectAsync("/admin");

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin/articles")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/admin/users")).StatusCode);
        var user = await app.Admin().GetFromJsonAsync<System.Text.Json.Nodes.JsonNode>($"/api/users/{created["id"]}");
        Assert.Equal("active", user!["status"]!.GetValue<string>());
        await (await app.Anonymous().LoginAsync("writer@newsroom.test", NewPassword)).ReadRedirectAsync("/admin");
    }

    [SkippableFact]
    public async Task InvitationLink_WorksOnce()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        await app.Admin().PostAsJsonAsync("/api/users", new { email = "editor@newsroom.test", role = "editor" });
        var link = await app.LinkAsync("editor@newsroom.test", Invitation);
        await (await app.Anonymous().SetPasswordAsync(link, NewPassword)).ReadRedirectAsync("/admin");

        var again = await app.Anonymous().SetPasswordAsync(link, "an attacker's new password");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("This link does not work", await again.Content.ReadAsStringAsync());
        Assert.Contains("This link does not work", await app.Anonymous().GetStringAsync(link));
        await (await app.Anonymous().LoginAsync("editor@newsroom.test", NewPassword)).ReadRedirectAsync("/admin");
    }

    [SkippableFact]
    public async Task InvitationLink_WithATamperedToken_SetsNothing()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        await app.Admin().PostAsJsonAsync("/api/users", new { email = "editor@newsroom.test", role = "editor" });
        var link = await app.LinkAsync("editor@newsroom.test", Invitation);

        var tampered = await app.Anonymous().SetPasswordAsync(MailedLinks.Tampered(link), NewPassword);

        Assert.Contains("This link does not work", await tampered.Content.ReadAsStringAsync());
        await (await app.Anonymous().SetPasswordAsync(link, NewPassword)).ReadRedirectAsync("/admin"); // the real one still works
    }

    [SkippableFact]
    public async Task InvitationLink_StopsWorking_WhenItsLifetimeIsOver()
    {
        await using var app = await NewsletterApp.StartAsync(database, new Dictionary<string, string?> { ["Admin:InvitationLifetime"] = "00:00:02" });
        await app.Admin().PostAsJsonAsync("/api/users", new { email = "late@newsroom.test", role = "viewer" });
        var link = await app.LinkAsync("late@newsroom.test", Invitation);
        Assert.Contains("Welcome: choose your password", await app.Anonymous().GetStringAsync(link));

        var until = DateTime.UtcNow.AddSeconds(30);
        while (!(await app.Anonymous().GetStringAsync(link)).Contains("This link does not work"))
        {
            Assert.True(DateTime.UtcNow < until, "The invitation link still works long after its lifetime.");
            await Task.Delay(200);
        }
        var late = await app.Anonymous().SetPasswordAsync(link, NewPassword);
        Assert.Contains("This link does not work", await late.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task Invite_RefusesABadAddressOrRole_AndASecondAccountForOneAddress()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var admin = app.Admin();

        await (await admin.PostAsJsonAsync("/api/users", new { email = "not an address", role = "writer" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "email");
        await (await admin.PostAsJsonAsync("/api/users", new { email = "someone@newsroom.test", role = "superuser" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "role");
        (await admin.PostAsJsonAsync("/api/users", new { email = "someone@newsroom.test", role = "writer" })).EnsureSuccessStatusCode();
        await (await admin.PostAsJsonAsync("/api/users", new { email = "SOMEONE@newsroom.test", role = "editor" }))
            .AssertProblemAsync(HttpStatusCode.Conflict);

        var users = await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>("/api/users");
        Assert.Equal([NewsletterApp.AdminEmail, "someone@newsroom.test"],
            users!.Select(u => u!["email"]!.GetValue<string>()).Order().ToArray());
    }

    [SkippableFact]
    public async Task PasswordMismatchOrTooShort_IsRefused_AndTheLinkStillWorks()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        await app.Admin().PostAsJsonAsync("/api/users", new { email = "editor@newsroom.test", role = "editor" });
        var link = await app.LinkAsync("editor@newsroom.test", Invitation);
        var browser = app.Anonymous();

        var mismatch = await browser.PostFormAsync(link, new Dictionary<string, string> { ["NewPassword"] = NewPassword, ["Repeated"] = "other" });
        Assert.Contains("The two passwords differ.", await mismatch.Content.ReadAsStringAsync());
        var tooShort = await browser.SetPasswordAsync(link, "short");
        Assert.Contains("at least 12 characters", await tooShort.Content.ReadAsStringAsync());

        await (await browser.SetPasswordAsync(link, NewPassword)).ReadRedirectAsync("/admin");
    }
}

public sealed class InvitationOnSqlite() : InvitationTests(Database.Sqlite);

public sealed class InvitationOnPostgres() : InvitationTests(Database.Postgres);
