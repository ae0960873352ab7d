using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Security;

/// <summary>
/// The headers every public page sends (pages, errors, rate limits alike), the
/// dashboard's and Hangfire's policies, and HTML errors for browsers.
/// </summary>
public sealed class SecurityHeadersTests : IAsyncLifetime
{
    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private NewsletterApp _app = null!;

    public async Task InitializeAsync() =>
        _app = await NewsletterApp.StartAsync(settings: new Dictionary<string, string?> { ["Subscriptions:SubscribePerMinute"] = "1" });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static HttpRequestMessage Request(HttpMethod method, string path, string? accept = BrowserAccept)
    {
        var request = new HttpRequestMessage(method, path);
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        return request;
    }

    private static string Csp(HttpResponseMessage response) => response.Headers.GetValues("Content-Security-Policy").Single();

    private static string[] Directives(string csp) =>
        csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();

    [Fact]
    public async Task EveryPublicAnswer_SendsTheSameHeaders_AndACspWithoutScript()
    {
        var article = (await _app.Admin().ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>();
        var reader = _app.Anonymous();
        var answers = new List<(string What, HttpStatusCode Expected, HttpResponseMessage Response)>();
        async Task Ask(string what, HttpStatusCode expected, HttpRequestMessage request) =>
            answers.Add((what, expected, await reader.SendAsync(request)));

        await Ask("subscribe form", HttpStatusCode.OK, Request(HttpMethod.Get, "/subscribe"));
        await Ask("confirm link", HttpStatusCode.BadRequest, Request(HttpMethod.Get, "/confirm/not-a-token"));
        await Ask("unsubscribe link", HttpStatusCode.BadRequest, Request(HttpMethod.Get, "/unsubscribe/not-a-token"));
        await Ask("preferences link", HttpStatusCode.BadRequest, Request(HttpMethod.Get, "/preferences/not-a-token"));
        await Ask("article", HttpStatusCode.OK, Request(HttpMethod.Get, $"/articles/{article}"));
        await Ask("missing article", HttpStatusCode.NotFound, Request(HttpMethod.Get, "/articles/999999"));
        await Ask("no such page", HttpStatusCode.NotFound, Request(HttpMethod.Get, "/wp-login.php"));
        await Ask("no such page, no Accept", HttpStatusCode.NotFound, Request(HttpMethod.Get, "/wp-login.php", accept: null));
        await Ask("form without antiforgery", HttpStatusCode.BadRequest, new HttpRequestMessage(HttpMethod.Post, "/subscribe")
        {
            Headers = { { "Accept", BrowserAccept } }, Content = new FormUrlEncodedContent([new("email", "forged@example.test")]),
        });
        await Ask("rate-limited form", HttpStatusCode.TooManyRequests, new HttpRequestMessage(HttpMethod.Post, "/subscribe")
        {
            Headers = { { "Accept", BrowserAccept } }, Content = new FormUrlEncodedContent([new("email", "again@example.test")]),
        });

        foreach (var (what, expected, response) in answers)
        {
            Assert.True(expected == response.StatusCode, $"{what}: expected {(int)expected}, got {(int)response.StatusCode}");
            var csp = Directives(Csp(response));
            foreach (var directive in new[] { "default-src 'self'", "script-src 'none'", "object-src 'none'", "base-uri 'none'",
                "form-action 'self'", "frame-ancestors 'none'" })
                Assert.True(csp.Contains(directive), $"{what}: the CSP lacks {directive}: {Csp(response)}");
            Assert.DoesNotContain(csp, d => d.StartsWith("script-src-", StringComparison.Ordinal) || d.Contains("unsafe-eval"));
            Assert.Equal(Csp(answers[0].Response), Csp(response));
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
            Assert.Equal("DENY", Header(response, "X-Frame-Options"));
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        }
        Assert.NotNull(answers.Single(a => a.Expected == HttpStatusCode.TooManyRequests).Response.Headers.RetryAfter);
    }

    [Theory]
    [InlineData("/articles/999999", HttpStatusCode.NotFound, "Page not found")]
    [InlineData("/no/such/page", HttpStatusCode.NotFound, "Page not found")]
    [InlineData("/confirm/not-a-token", HttpStatusCode.BadRequest, "This link does not work")]
    public async Task Browser_GetsAnHtmlErrorPage(string path, HttpStatusCode status, string title)
    {
        var response = await _app.Anonymous().SendAsync(Request(HttpMethod.Get, path));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"<h1>{title}</h1>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Api_AnswersProblemJson_EvenToABrowser_AndAClientThatAsksForJsonGetsJsonEverywhere()
    {
        var admin = _app.Admin();
        admin.DefaultRequestHeaders.Accept.ParseAdd(BrowserAccept);

        var api = await admin.GetAsync("/api/articles/999999");
        var json = await _app.Anonymous().SendAsync(Request(HttpMethod.Get, "/articles/999999", "application/json"));
        var invalid = await admin.PostAsJsonAsync("/api/articles", new { title = "" });

        await api.AssertProblemAsync(HttpStatusCode.NotFound);
        await json.AssertProblemAsync(HttpStatusCode.NotFound);
        await invalid.AssertProblemAsync(HttpStatusCode.BadRequest, "title");
        Assert.Equal("nosniff", Header(api, "X-Content-Type-Options"));
        Assert.Contains("frame-ancestors 'none'", Csp(api));
    }

    [Fact]
    public async Task Dashboard_AllowsScriptsAndStylesFromItselfOnly_AndItsMailPreviewOnlyInItsOwnFrame()
    {
        var article = (await _app.Admin().ImportArticleAsync(SampleTexts.Article))["id"]!.GetValue<long>();
        var editor = _app.Anonymous();
        await (await editor.LoginAsync()).ReadRedirectAsync("/admin");

        foreach (var path in new[] { "/admin/login", "/admin", $"/admin/articles/{article}/preview" })
        {
            var csp = Directives(Csp(await editor.GetAsync(path)));
            Assert.Contains("script-src 'self'", csp);
            Assert.Contains("style-src 'self'", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.DoesNotContain(csp, d => d.Contains("unsafe-"));
        }
        var preview = await editor.GetAsync($"/admin/articles/{article}/email");
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var framed = Directives(Csp(preview));
        Assert.Contains("sandbox", framed);
        Assert.Contains("default-src 'none'", framed);
        Assert.Contains("frame-ancestors 'self'", framed);
        Assert.Equal("SAMEORIGIN", Header(preview, "X-Frame-Options"));
    }

    [Fact]
    public async Task Hangfire_MayNotBeFramed_RunsOnlyItsOwnScripts_AndIsNotSniffed()
    {
        var editor = _app.Anonymous();
        await (await editor.LoginAsync()).ReadRedirectAsync("/admin");

        foreach (var path in new[] { "/hangfire", "/hangfire/jobs/succeeded", "/hangfire/stats" })
        {
            var response = await editor.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var csp = Directives(Csp(response));
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Contains("script-src 'self'", csp);
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        }
    }

    [Fact]
    public async Task DevInbox_SendsThePublicHeaders_AndItsMailOnlyInItsOwnSandboxedFrame()
    {
        await using var app = await NewsletterApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["DevInbox:Enabled"] = "true", ["DevInbox:Port"] = SmtpCapture.FreePort().ToString(),
        });
        Assert.Equal(HttpStatusCode.Accepted, (await app.Anonymous().SubscribeAsync("inbox@example.test")).StatusCode);
        var store = app.Services.GetRequiredService<NewsletterService.DevInbox.DevInboxStore>();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (store.Newest().Count == 0 && DateTime.UtcNow < until) await Task.Delay(50);
        var mail = Assert.Single(store.Newest());
        var admin = app.Admin();
        admin.DefaultRequestHeaders.Accept.ParseAdd(BrowserAccept);

        var inbox = await admin.GetAsync("/dev/inbox");
        var html = await admin.GetAsync($"/dev/inbox/{mail.Id}/html");

        Assert.Equal(HttpStatusCode.OK, inbox.StatusCode);
        Assert.Contains("script-src 'none'", Directives(Csp(inbox)));
        Assert.Contains("frame-ancestors 'none'", Directives(Csp(inbox)));
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Contains("sandbox", Directives(Csp(html)));
        Assert.Contains("frame-ancestors 'self'", Directives(Csp(html)));
        Assert.Equal("nosniff", Header(html, "X-Content-Type-Options"));
    }
}
