using System.Net;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.WebUtilities;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Dashboard;

/// <summary>
/// Two web processes of one deployment over the same database, as behind a load balancer: a browser's requests may
/// reach either, so the login cookie, the antiforgery tokens and the login delays must hold on both.
/// </summary>
public abstract class SharedLoginTests(Database database) : IAsyncLifetime
{
    private readonly CookieContainer _jar = new();
    private NewsletterApp _first = null!;
    private NewsletterApp _second = null!;

    public async Task InitializeAsync()
    {
        // Three free failures, then ten minutes: long enough that no test outruns it by real time.
        var settings = new Dictionary<string, string?> { ["Admin:LoginFirstDelay"] = "00:10:00", ["Admin:LoginMaxDelay"] = "00:10:00" };
        _first = await NewsletterApp.StartAsync(database, settings);
        _second = await NewsletterApp.StartBesideAsync(_first, settings);
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    /// <summary>One browser (one cookie jar) talking to <paramref name="app"/>.</summary>
    private HttpClient Browser(NewsletterApp app) => app.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(_jar));

    [SkippableFact]
    public async Task LoginCookie_IssuedByOneProcess_IsAcceptedByAnother_WithItsKeyInTheDatabase()
    {
        await (await Browser(_first).LoginAsync()).ReadRedirectAsync("/admin");

        var onSecond = await Browser(_second).GetAsync("/admin/lists");

        Assert.Equal(HttpStatusCode.OK, onSecond.StatusCode);
        Assert.Contains("<h1>Lists</h1>", await onSecond.Content.ReadAsStringAsync());
        // The cookie names the key that protects it (after a 4-byte magic header); that key is in the shared table.
        var payload = WebEncoders.Base64UrlDecode(_jar.GetCookies(new Uri("http://localhost"))["newsletter.admin"]!.Value);
        var keyId = new Guid(payload.AsSpan(4, 16));
        var keys = await _first.WithDbAsync(db => Task.FromResult(db.DataProtectionKeys.Select(k => k.Xml).ToList()));
        Assert.Contains(keys, xml => xml!.Contains($"id=\"{keyId}\"", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task FormFromOneProcess_IsAcceptedWhenPostedToAnother()
    {
        await (await Browser(_first).LoginAsync()).ReadRedirectAsync("/admin");
        var token = await Browser(_first).FormTokenAsync("/admin/lists");

        var created = await Browser(_second).PostAsync("/admin/lists", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["slug"] = "harbour", ["name"] = "Harbour news", ["__RequestVerificationToken"] = token,
        }));

        await created.ReadRedirectAsync("/admin/lists");
        Assert.Equal(["harbour"], await _first.WithDbAsync(db => Task.FromResult(db.Lists.Select(l => l.Slug).ToList())));
    }

    [SkippableFact]
    public async Task FailedLogins_OnDifferentProcesses_AddUp_AndTheDelayHoldsOnBoth()
    {
        Assert.Contains("Wrong email or password.",
            await (await Browser(_first).LoginAsync(password: "guess 1")).Content.ReadAsStringAsync());
        Assert.Contains("Wrong email or password.",
            await (await Browser(_second).LoginAsync(password: "guess 2")).Content.ReadAsStringAsync());
        Assert.Contains("Wrong email or password.",
            await (await Browser(_first).LoginAsync(password: "guess 3")).Content.ReadAsStringAsync());

        foreach (var app in new[] { _second, _first })
        {
            var right = await Browser(app).LoginAsync();
            Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
            Assert.Contains("Wait 10 minutes before you try again", await right.Content.ReadAsStringAsync());
        }
        // the account, and the account from this address
        Assert.Equal(2, await _second.WithDbAsync(db => Task.FromResult(db.LoginThrottles.Count())));
    }

    [SkippableFact]
    public async Task SuccessfulLogin_ClearsTheFailuresCountedOnAnyProcess()
    {
        await Browser(_first).LoginAsync(password: "guess 1");
        await Browser(_second).LoginAsync(password: "guess 2");
        await (await _second.Anonymous().LoginAsync()).ReadRedirectAsync("/admin"); // in another browser

        Assert.Contains("Wrong email or password.",
            await (await Browser(_first).LoginAsync(password: "guess 3")).Content.ReadAsStringAsync());
        Assert.Contains("Wrong email or password.",
            await (await Browser(_first).LoginAsync(password: "guess 4")).Content.ReadAsStringAsync());
    }
}

public sealed class SharedLoginOnSqlite() : SharedLoginTests(Database.Sqlite);

public sealed class SharedLoginOnPostgres() : SharedLoginTests(Database.Postgres);
