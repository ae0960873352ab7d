using System.Net;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.Time.Testing;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Security;

/// <summary>
/// Dashboard sessions end on the server: a login cookie copied before logout (or before the admin's password
/// changed) gets the login page afterwards from every web process of the deployment.
/// </summary>
public abstract class AdminSessionTests(Database database)
{
    /// <summary>A browser that sends <paramref name="cookie"/> as its login cookie, as someone who copied it would.</summary>
    private static HttpClient WithCopied(NewsletterApp app, string cookie)
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Add("Cookie", "newsletter.admin=" + cookie);
        return client;
    }

    private static async Task<string> LoginCookieAsync(HttpClient browser, CookieContainer jar)
    {
        await (await browser.LoginAsync()).ReadRedirectAsync("/admin");
        return jar.GetCookies(new Uri("http://localhost"))["newsletter.admin"]!.Value;
    }

    private static async Task AssertLoginPageAsync(HttpClient client)
    {
        var response = await client.GetAsync("/admin/lists");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/login", response.Headers.Location!.AbsolutePath);
    }

    [SkippableFact]
    public async Task Logout_EndsTheSession_ACopiedCookieGetsTheLoginPage_OnEveryProcess()
    {
        await using var first = await NewsletterApp.StartAsync(database);
        await using var second = await NewsletterApp.StartBesideAsync(first);
        var jar = new CookieContainer();
        var browser = first.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(jar));
        var copied = await LoginCookieAsync(browser, jar);
        Assert.Equal(HttpStatusCode.OK, (await WithCopied(second, copied).GetAsync("/admin/lists")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await WithCopied(second, copied).GetAsync("/hangfire")).StatusCode);

        await (await browser.PostFormAsync("/admin/logout", new Dictionary<string, string>(), formPage: "/admin"))
            .ReadRedirectAsync("/admin/login");

        await AssertLoginPageAsync(WithCopied(first, copied));
        await AssertLoginPageAsync(WithCopied(second, copied));
        Assert.Equal(HttpStatusCode.Redirect, (await WithCopied(second, copied).GetAsync("/hangfire")).StatusCode);
        Assert.Equal(0, await first.WithDbAsync(db => Task.FromResult(db.AdminSessions.Count())));
    }

    [SkippableFact]
    public async Task ANewAdminPassword_EndsEverySession()
    {
        await using var first = await NewsletterApp.StartAsync(database);
        var jar = new CookieContainer();
        var copied = await LoginCookieAsync(first.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(jar)), jar);

        const string changed = "a brand new password for the admin";
        await using var second = await NewsletterApp.StartBesideAsync(first,
            new Dictionary<string, string?> { ["Admin:Password"] = changed });

        await AssertLoginPageAsync(WithCopied(first, copied));
        await AssertLoginPageAsync(WithCopied(second, copied));
        await (await second.Anonymous().LoginAsync(password: changed)).ReadRedirectAsync("/admin");
    }

    [SkippableFact]
    public async Task IdleSessions_AreRefused_AndDeletedAtTheNextLogin()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await NewsletterApp.StartAsync(database, time: clock);
        var jar = new CookieContainer();
        var copied = await LoginCookieAsync(app.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(jar)), jar);

        clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        await AssertLoginPageAsync(WithCopied(app, copied));
        await (await app.Anonymous().LoginAsync()).ReadRedirectAsync("/admin");

        Assert.Equal(1, await app.WithDbAsync(db => Task.FromResult(db.AdminSessions.Count())));
    }
}

public sealed class AdminSessionsOnSqlite() : AdminSessionTests(Database.Sqlite);

public sealed class AdminSessionsOnPostgres() : AdminSessionTests(Database.Postgres);
