using System.Net;
using Microsoft.Extensions.Time.Testing;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Security;

/// <summary>
/// Login throttling as an attacker meets it: guesses from one address slow that address down, never the admin at
/// another; guesses from many addresses are bounded per account, yet the admin's known browser still gets in. The
/// client address is what the forwarded-headers handling makes of <c>X-Forwarded-For</c>; the test clock passes the delays.
/// </summary>
public abstract class LoginThrottleTests(Database database) : IAsyncLifetime
{
    private const string Wrong = "Wrong email or password.";
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private NewsletterApp _app = null!;

    public async Task InitializeAsync() =>
        _app = await NewsletterApp.StartAsync(database, new Dictionary<string, string?>([ClientAddress.Enabled]), time: _clock);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static async Task<(HttpStatusCode, string?)> AnswerAsync(HttpResponseMessage response) =>
        (response.StatusCode, await response.AlertAsync());

    [SkippableFact]
    public async Task Login_FromAnotherAddress_StillSucceeds_WhenOneAddressIsThrottled()
    {
        await using var second = await NewsletterApp.StartBesideAsync(_app, new Dictionary<string, string?>([ClientAddress.Enabled]),
            _clock);
        for (var i = 1; i <= 3; i++) await _app.BrowserAt("203.0.113.66").LoginAsync(password: "guess " + i);

        Assert.Equal(HttpStatusCode.TooManyRequests, (await second.BrowserAt("203.0.113.66").LoginAsync()).StatusCode);
        await (await second.BrowserAt("203.0.113.67").LoginAsync()).ReadRedirectAsync("/admin");
        await (await _app.BrowserAt("198.51.100.67").LoginAsync()).ReadRedirectAsync("/admin");
    }

    [SkippableFact]
    public async Task FailedLogins_FromOneAddress_WaitOneTwoFourSeconds_AndTriesMeanwhileAreNotChecked()
    {
        var browser = _app.BrowserAt("203.0.113.7");
        for (var i = 1; i <= 3; i++) Assert.Equal((HttpStatusCode.OK, Wrong),
            await AnswerAsync(await browser.LoginAsync(password: "guess " + i)));

        var early = await browser.LoginAsync(); // the right password, but too soon: not even checked
        Assert.Equal((HttpStatusCode.TooManyRequests, "Too many login attempts. Wait 1 second before you try again."),
            await AnswerAsync(early));
        Assert.Equal("1", early.Headers.RetryAfter!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/admin")).StatusCode);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((HttpStatusCode.OK, Wrong), await AnswerAsync(await browser.LoginAsync(password: "guess 4")));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((HttpStatusCode.TooManyRequests, "Too many login attempts. Wait 1 second before you try again."),
            await AnswerAsync(await browser.LoginAsync()));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((HttpStatusCode.OK, Wrong), await AnswerAsync(await browser.LoginAsync(password: "guess 5")));
        Assert.Equal((HttpStatusCode.TooManyRequests, "Too many login attempts. Wait 4 seconds before you try again."),
            await AnswerAsync(await browser.LoginAsync()));

        _clock.Advance(TimeSpan.FromSeconds(4));
        await (await browser.LoginAsync()).ReadRedirectAsync("/admin");
    }

    [SkippableFact]
    public async Task FailedLogins_ForgetTheirDelay_AfterASuccessfulLoginFromThatAddress()
    {
        var browser = _app.BrowserAt("203.0.113.8");
        for (var i = 1; i <= 3; i++) await browser.LoginAsync(password: "guess " + i);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await (await browser.LoginAsync()).ReadRedirectAsync("/admin");
        _clock.Advance(TimeSpan.FromMinutes(1)); // past the account's tries-per-minute; failures are remembered for a day

        var other = _app.BrowserAt("203.0.113.8");
        for (var i = 1; i <= 3; i++) Assert.Equal((HttpStatusCode.OK, Wrong),
            await AnswerAsync(await other.LoginAsync(password: "again " + i)));
    }

    [SkippableFact]
    public async Task GuessesFromManyAddresses_AreBoundedPerAccount_ButTheKnownDeviceStillGetsIn()
    {
        var adminJar = new CookieContainer();
        var admin = _app.BrowserAt("198.51.100.1", adminJar);
        await (await admin.LoginAsync()).ReadRedirectAsync("/admin");
        await (await admin.PostFormAsync("/admin/logout", new Dictionary<string, string>(), formPage: "/admin"))
            .ReadRedirectAsync("/admin/login");
        var device = adminJar.GetCookies(new Uri("http://localhost/admin/login"))["newsletter.device"];
        Assert.NotNull(device);
        Assert.True(device.HttpOnly);

        // Six tries a minute for the account over all addresses: the first went to the admin, five to the attacker.
        for (var i = 1; i <= 5; i++)
            Assert.Equal((HttpStatusCode.OK, Wrong),
                await AnswerAsync(await _app.BrowserAt($"192.0.2.{i}").LoginAsync(password: "guess " + i)));
        var blocked = (HttpStatusCode.TooManyRequests, "Too many login attempts. Wait 10 seconds before you try again.");
        Assert.Equal(blocked, await AnswerAsync(await _app.BrowserAt("192.0.2.100").LoginAsync())); // the right password from a new browser
        var forged = new CookieContainer();
        forged.Add(new Cookie("newsletter.device", device.Value[..^4] + "AAAA", "/admin/login", "localhost"));
        Assert.Equal(blocked, await AnswerAsync(await _app.BrowserAt("192.0.2.101", forged).LoginAsync()));

        await (await admin.LoginAsync()).ReadRedirectAsync("/admin");

        _clock.Advance(TimeSpan.FromSeconds(10));
        await (await _app.BrowserAt("192.0.2.102").LoginAsync()).ReadRedirectAsync("/admin");
    }

    [SkippableFact]
    public async Task ConcurrentGuesses_OnTwoProcesses_GetNoMoreTriesChecked_ThanTheGatesAllow()
    {
        await using var second = await NewsletterApp.StartBesideAsync(_app, new Dictionary<string, string?>([ClientAddress.Enabled]),
            _clock);
        NewsletterApp Either(int i) => i % 2 == 0 ? _app : second;

        var fromOne = await AllAtOnceAsync(Enumerable.Range(1, 12).Select(i => Either(i).BrowserAt("203.0.113.40")));
        Assert.Equal(3, fromOne.Count(r => r.StatusCode == HttpStatusCode.OK));

        _clock.Advance(TimeSpan.FromMinutes(1));
        var fromMany = await AllAtOnceAsync(Enumerable.Range(1, 20).Select(i => Either(i).BrowserAt($"192.0.2.{i}")));
        Assert.Equal(6, fromMany.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(fromMany, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
    }

    /// <summary>Each browser opens the login form, then all post a wrong password at the same moment.</summary>
    private static async Task<HttpResponseMessage[]> AllAtOnceAsync(IEnumerable<HttpClient> browsers)
    {
        var ready = await Task.WhenAll(browsers.Select(async b => (Browser: b, Token: await b.FormTokenAsync("/admin/login"))));
        return await Task.WhenAll(ready.Select(r => r.Browser.PostAsync("/admin/login", WrongLogin(r.Token))));
    }

    private static FormUrlEncodedContent WrongLogin(string token) => new(new Dictionary<string, string>
    {
        ["Email"] = NewsletterApp.AdminEmail, ["Password"] = "a guess", ["__RequestVerificationToken"] = token,
    });

    [SkippableFact]
    public async Task AddressesInOneIpv6Block_CountAsOneAddress()
    {
        for (var i = 1; i <= 3; i++) await _app.BrowserAt($"2001:db8:1:2::{i}").LoginAsync(password: "guess " + i);

        Assert.Equal(HttpStatusCode.TooManyRequests, (await _app.BrowserAt("2001:db8:1:2:ffff::9").LoginAsync()).StatusCode);
        await (await _app.BrowserAt("2001:db8:1:3::1").LoginAsync()).ReadRedirectAsync("/admin");
    }

    [SkippableFact]
    public async Task UnknownAccount_GetsTheSameAnswers_AsTheAdminAccount()
    {
        async Task<List<(HttpStatusCode, string?)>> TryAsync(string email, string address)
        {
            var browser = _app.BrowserAt(address);
            var answers = new List<(HttpStatusCode, string?)>();
            for (var i = 1; i <= 5; i++) answers.Add(await AnswerAsync(await browser.LoginAsync(email, "guess " + i)));
            return answers;
        }

        var admin = await TryAsync(NewsletterApp.AdminEmail, "203.0.113.20");
        var unknown = await TryAsync("nobody@example.test", "203.0.113.21");

        Assert.Equal(admin, unknown);
        Assert.Equal((HttpStatusCode.TooManyRequests, "Too many login attempts. Wait 1 second before you try again."), admin[^1]);
    }

    [SkippableFact]
    public async Task ThrottleRows_HoldNoAddress_AndOldOnesAreDeleted()
    {
        await _app.BrowserAt("203.0.113.30").LoginAsync(password: "guess");
        var first = await _app.WithDbAsync(db => Task.FromResult(db.LoginThrottles.Select(t => t.Key).ToList()));
        Assert.Equal(2, first.Count); // the account and the account from this address
        Assert.All(first, key => Assert.Matches("^[0-9a-f]{64}$", key));

        _clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        await _app.BrowserAt("203.0.113.31").LoginAsync(password: "guess");

        var then = await _app.WithDbAsync(db => Task.FromResult(db.LoginThrottles.Select(t => t.Key).ToList()));
        Assert.Equal(2, then.Count);
        Assert.Single(then.Intersect(first)); // the account's row stays, the old address's is gone
    }
}

public sealed class LoginThrottleOnSqlite() : LoginThrottleTests(Database.Sqlite);

public sealed class LoginThrottleOnPostgres() : LoginThrottleTests(Database.Postgres);

/// <summary>The client address a throttle counts under is the forwarded one only when forwarded headers are enabled.</summary>
public sealed class ClientAddressTests
{
    [Fact]
    public async Task XForwardedFor_IsIgnored_UnlessForwardedHeadersAreEnabled()
    {
        await using var app = await NewsletterApp.StartAsync();
        for (var i = 1; i <= 3; i++) await app.BrowserAt($"192.0.2.{i}").LoginAsync(password: "guess " + i);

        var right = await app.BrowserAt("192.0.2.50").LoginAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode); // a made-up header does not make a new address
    }

    [Fact]
    public async Task OnKestrel_TheForwardedAddressFromLoopback_IsTheClientAddress()
    {
        await using var app = await NewsletterApp.StartOnKestrelAsync(new Dictionary<string, string?>([ClientAddress.Enabled]));
        HttpClient At(string address)
        {
            var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
            var client = new HttpClient(handler) { BaseAddress = app.Address };
            client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
            return client;
        }
        for (var i = 1; i <= 3; i++) await At("192.0.2.1").LoginAsync(password: "guess " + i);

        Assert.Equal(HttpStatusCode.TooManyRequests, (await At("192.0.2.1").LoginAsync()).StatusCode);
        await (await At("192.0.2.2").LoginAsync()).ReadRedirectAsync("/admin");
    }
}
