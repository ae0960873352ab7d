using System.Net;
using NewsletterService.Security;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Accounts;

/// <summary>
/// The owner's setting "require two-factor sign-in for every account": stored in the database, so every web process
/// applies it; an account without two-factor sign-in gets the set-up page until it has it; the API key is unaffected.
/// </summary>
public abstract class TwoFactorRequiredTests(Database database)
{
    private const string Writer = "writer@newsroom.test";

    private static Task<HttpResponseMessage> RequireAsync(HttpClient owner, bool required) =>
        owner.PostFormAsync("/admin/settings?handler=TwoFactor",
            new Dictionary<string, string> { ["required"] = required ? "true" : "false" }, formPage: "/admin/settings");

    [SkippableFact]
    public async Task AnAccountWithoutTwoFactor_GetsTheSetupPage_OnEveryProcess_UntilItTurnsItOn()
    {
        await using var first = await NewsletterApp.StartAsync(database);
        await using var second = await NewsletterApp.StartBesideAsync(first);
        await first.AddAccountAsync(Writer, AccountRoles.Writer);
        var owner = await first.SignedInAsync(NewsletterApp.AdminEmail, NewsletterApp.AdminPassword);
        await owner.EnableTwoFactorAsync();
        var settings = await owner.GetStringAsync("/admin/settings");

        await (await RequireAsync(owner, true)).ReadRedirectAsync("/admin/settings");
        var writer = await second.SignedInAsync(Writer);

        Assert.Contains("Require two-factor sign-in for every account", settings);
        Assert.Contains("<strong>required</strong>", await owner.GetStringAsync("/admin/settings"));
        foreach (var path in new[] { "/admin", "/admin/lists", "/admin/articles/edit" })
            await (await writer.GetAsync(path)).ReadRedirectAsync(TwoFactorSteps.SetupPage);
        Assert.Equal(HttpStatusCode.OK, (await writer.GetAsync("/admin/account")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await writer.GetAsync("/admin/assets/dashboard.css")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.Admin().GetAsync("/api/lists")).StatusCode); // the API key
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/admin/lists")).StatusCode); // has two-factor sign-in

        await writer.EnableTwoFactorAsync();

        Assert.Equal(HttpStatusCode.OK, (await writer.GetAsync("/admin/lists")).StatusCode);
        Assert.Equal(["settings.two-factor-required"],
            await AccountPageTests.ActionsAsync(first, "settings", NewsletterApp.AdminEmail));
    }

    [SkippableFact]
    public async Task TheOwnerWithoutTwoFactor_IsHeldBackToo_JobsDashboardIncluded_UntilItTurnsItOn()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var owner = await app.SignedInAsync(NewsletterApp.AdminEmail, NewsletterApp.AdminPassword);

        await (await RequireAsync(owner, true)).ReadRedirectAsync("/admin/settings");
        var held = await owner.GetAsync("/hangfire");
        var settings = await owner.GetAsync("/admin/settings");
        var setup = await owner.GetStringAsync(TwoFactorSteps.SetupPage);

        await held.ReadRedirectAsync(TwoFactorSteps.SetupPage);
        await settings.ReadRedirectAsync(TwoFactorSteps.SetupPage);
        Assert.Contains("The owner requires two-factor sign-in", setup);
        await owner.EnableTwoFactorAsync();
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/hangfire")).StatusCode);
    }

    [SkippableFact]
    public async Task WhileRequired_TwoFactorCannotBeTurnedOff()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var owner = await app.SignedInAsync(NewsletterApp.AdminEmail, NewsletterApp.AdminPassword);
        var (key, _) = await owner.EnableTwoFactorAsync();
        await (await RequireAsync(owner, true)).ReadRedirectAsync("/admin/settings");

        var refused = await owner.PostFormAsync("/admin/account?handler=Disable",
            new Dictionary<string, string> { ["code"] = Totp.Code(key) }, formPage: "/admin/account");

        Assert.Contains("cannot be turned off", await refused.Content.ReadAsStringAsync());
        Assert.True(await app.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Email == NewsletterApp.AdminEmail).TwoFactorEnabled)));
        await (await RequireAsync(owner, false)).ReadRedirectAsync("/admin/settings");
        Assert.Equal(["settings.two-factor-required", "settings.two-factor-required"],
            await AccountPageTests.ActionsAsync(app, "settings", NewsletterApp.AdminEmail));
    }
}

public sealed class TwoFactorRequiredOnSqlite() : TwoFactorRequiredTests(Database.Sqlite);

public sealed class TwoFactorRequiredOnPostgres() : TwoFactorRequiredTests(Database.Postgres);
