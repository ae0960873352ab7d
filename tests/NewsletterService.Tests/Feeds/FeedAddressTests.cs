using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Feeds;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Feeds;

/// <summary>
/// Feeds reach only the public internet unless the operator says
/// otherwise, and a failed poll never repeats what a server said.
/// </summary>
public sealed class FeedAddressTests
{
    private const string Marker = "secret-marker";

    private const string Rss = """
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>Harbour Post</title><link>https://harbour.example/</link><description>News</description>
        <item><guid isPermaLink="false">a1</guid><title>Quay reopens</title><link>https://harbour.example/a1</link>
        <description>Open.</description></item>
        </channel></rss>
        """;

    private static Dictionary<string, string?> PrivateAllowed(params (string Key, string Value)[] more)
    {
        var settings = more.ToDictionary(s => "Feeds:" + s.Key, s => (string?)s.Value);
        settings["Feeds:AllowPrivateNetworks"] = "true";
        return settings;
    }

    /// <summary>Ways to write "this machine" in a URL; each reaches a server listening on every local address.</summary>
    private static string[] LoopbackForms(int port) =>
    [
        $"http://127.0.0.1:{port}", $"http://localhost:{port}", $"http://[::1]:{port}", $"http://[::ffff:127.0.0.1]:{port}",
        $"http://0.0.0.0:{port}", $"http://2130706433:{port}", $"http://127.1:{port}",
    ];

    /// <summary>
    /// Adds a feed straight to the database, past the API's early hint, as
    /// one registered before the rule or under other settings.
    /// </summary>
    private static Task<long> AddFeedAsync(NewsletterApp app, string url) => app.WithDbAsync(async db =>
    {
        var feed = new Feed { Url = url, CreatedAt = DateTime.UtcNow };
        db.Feeds.Add(feed);
        await db.SaveChangesAsync();
        return feed.Id;
    });

    /// <summary>Polls now; the answer comes once the poll has recorded how it went.</summary>
    private static async Task<JsonNode> PollAsync(NewsletterApp app, long feedId) =>
        await (await app.Admin().PostAsync($"/api/feeds/{feedId}/poll", null)).ReadJsonAsync(HttpStatusCode.OK);

    private static async Task<string?> PollErrorAsync(NewsletterApp app, string url) =>
        (await PollAsync(app, await AddFeedAsync(app, url)))["lastError"]?.GetValue<string>();

    private static async Task<Dictionary<string, string?>> PollErrorsAsync(NewsletterApp app, IEnumerable<string> urls)
    {
        var errors = new Dictionary<string, string?>();
        foreach (var url in urls) errors[url] = await PollErrorAsync(app, url);
        return errors;
    }

    [Fact]
    public async Task LoopbackFeeds_InEveryForm_AreRefusedWithoutARequest_AndFetchedWhenPrivateNetworksAreAllowed()
    {
        await using var web = RawTcpServer.Http(IPAddress.IPv6Any, _ => RawTcpServer.Ok(Rss));
        var urls = LoopbackForms(web.Port).Select((form, i) => $"{form}/feed{i}").ToList();

        await using (var app = await NewsletterApp.StartAsync())
        {
            Assert.Equal(urls.ToDictionary(u => u, _ => (string?)FeedErrors.PrivateNetwork), await PollErrorsAsync(app, urls));
            Assert.Empty(web.Requests);
        }

        await using (var app = await NewsletterApp.StartAsync(settings: PrivateAllowed()))
        {
            Assert.Equal(urls.ToDictionary(u => u, _ => (string?)null), await PollErrorsAsync(app, urls));
            Assert.Equal(urls.Select(u => new Uri(u).AbsolutePath).Order(), web.Requests.Distinct().Order());
        }
    }

    [Fact]
    public async Task ByDefault_OpenClosedAndNonHttpPortsOnLoopback_AllGetTheSameAnswer_AndNoneIsConnected()
    {
        await using var web = RawTcpServer.Http(IPAddress.Loopback, _ => RawTcpServer.Ok(Rss));
        await using var smtp = RawTcpServer.Banner(IPAddress.Loopback, $"220 internal.example ESMTP {Marker}\r\n");
        await using var app = await NewsletterApp.StartAsync();

        string[] urls = [$"http://127.0.0.1:{web.Port}/", $"http://127.0.0.1:{smtp.Port}/", $"http://127.0.0.1:{SmtpCapture.FreePort()}/"];

        Assert.Equal(urls.ToDictionary(u => u, _ => (string?)FeedErrors.PrivateNetwork), await PollErrorsAsync(app, urls));
        Assert.Empty(web.Requests);
        Assert.Empty(smtp.Requests);
    }

    [Fact]
    public async Task Register_AnswersProblemNamingUrl_ForLocalhostAndPrivateAddresses()
    {
        await using var app = await NewsletterApp.StartAsync();
        string[] urls =
        [
            .. LoopbackForms(8080).Select(form => form + "/news.rss"), "http://LOCALHOST./news.rss", "http://feeds.localhost/news.rss",
            "http://10.1.2.3/", "http://172.16.0.1/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/",
            "http://100.64.0.1/",
            "http://[fd00::1]/", "http://[fe80::1]/", "http://[::ffff:10.0.0.1]/", "http://[64:ff9b::a00:1]/", "http://224.0.0.1/",
        ];

        var answers = new Dictionary<string, string>();
        foreach (var url in urls)
        {
            var response = await app.Admin().PostAsJsonAsync("/api/feeds", new { url });
            var names = JsonNode.Parse(await response.Content.ReadAsStringAsync())?["errors"]?["url"] is null ? "" : " naming url";
            answers[url] = $"{(int)response.StatusCode}{names}";
        }

        Assert.Equal(urls.ToDictionary(u => u, _ => "400 naming url"), answers);
        Assert.Equal(0, await app.WithDbAsync(db => db.Feeds.CountAsync()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RedirectFromAnAllowedAddressToLoopback_IsRefusedAtConnect_UnlessLoopbackIsAllowedToo(bool loopbackAllowed)
    {
        await using var loopback = RawTcpServer.Http(IPAddress.Loopback, _ => RawTcpServer.Ok(Rss));
        await using var outside = RawTcpServer.Http(IPAddress.Parse("127.0.0.2"), _ =>
            RawTcpServer.Redirect($"http://127.0.0.1:{loopback.Port}/feed"));
        var settings = new Dictionary<string, string?> { ["Feeds:AllowedNetworks:0"] = "127.0.0.2/32" };
        if (loopbackAllowed) settings["Feeds:AllowedNetworks:1"] = "127.0.0.1/32";
        await using var app = await NewsletterApp.StartAsync(settings: settings);

        var feed = await (await app.Admin().PostAsJsonAsync("/api/feeds", new { url = $"http://127.0.0.2:{outside.Port}/news.rss" }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var polled = await PollAsync(app, feed["id"]!.GetValue<long>());

        Assert.Contains("/news.rss", outside.Requests);
        if (loopbackAllowed)
        {
            Assert.Equal("ok", polled["status"]!.GetValue<string>());
            Assert.Contains("/feed", loopback.Requests);
        }
        else
        {
            Assert.Equal(FeedErrors.PrivateNetwork, polled["lastError"]?.GetValue<string>());
            Assert.Empty(loopback.Requests);
        }
    }

    [Fact]
    public async Task MoreThanFiveRedirects_AreRefusedWithTheRedirectMessage_WhileFiveAreFollowed()
    {
        await using var web = RawTcpServer.Http(IPAddress.Loopback,
            path => path == "/hop/0" ? RawTcpServer.Ok(Rss) : RawTcpServer.Redirect($"/hop/{int.Parse(path[5..]) - 1}"));
        await using var app = await NewsletterApp.StartAsync(settings: PrivateAllowed());

        Assert.Equal(FeedErrors.Redirects, await PollErrorAsync(app, $"http://127.0.0.1:{web.Port}/hop/6"));
        Assert.DoesNotContain("/hop/0", web.Requests);

        Assert.Null(await PollErrorAsync(app, $"http://127.0.0.1:{web.Port}/hop/5"));
        Assert.Contains("/hop/0", web.Requests);
    }

    [Fact]
    public async Task LastError_SaysWhatWentWrong_InOurWords_NeverWhatTheServerSaid()
    {
        await using var web = RawTcpServer.Http(IPAddress.Loopback, path => path switch
        {
            "/error" => RawTcpServer.Status(500, $"Internal {Marker}", $"<h1>{Marker}</h1> at Internal.Api.Handler()"),
            "/page" => RawTcpServer.Status(200, "OK", $"<html><body>{Marker}</body></html>", "Content-Type: text/html\r\n"),
            "/elsewhere" => RawTcpServer.Redirect($"ftp://{Marker}.example/feed"),
            "/large" => RawTcpServer.Ok(Rss + new string(' ', 2000)),
            _ => null, // never answers
        });
        await using var smtp = RawTcpServer.Banner(IPAddress.Loopback, $"220 internal.example ESMTP {Marker}\r\n");
        await using var app = await NewsletterApp.StartAsync(settings: PrivateAllowed(("Timeout", "00:00:02"), ("MaxBytes", "1024")));

        var expected = new Dictionary<string, string?>
        {
            [$"http://127.0.0.1:{web.Port}/error"] = FeedErrors.HttpError(500),
            [$"http://127.0.0.1:{web.Port}/page"] = FeedErrors.NotAFeed,
            [$"http://127.0.0.1:{web.Port}/elsewhere"] = FeedErrors.Redirects,
            [$"http://127.0.0.1:{web.Port}/large"] = FeedErrors.TooLarge(1024),
            [$"http://127.0.0.1:{web.Port}/silent"] = FeedErrors.TooSlow,
            [$"http://127.0.0.1:{smtp.Port}/"] = FeedErrors.NotHttp,
            [$"http://127.0.0.1:{SmtpCapture.FreePort()}/"] = FeedErrors.CouldNotConnect,
        };

        var errors = await PollErrorsAsync(app, expected.Keys);

        Assert.Equal(expected, errors);
        Assert.DoesNotContain(Marker, string.Join("\n", errors.Values));
        Assert.NotEmpty(smtp.Requests); // the banner was really sent, and went only to the log:
        Assert.Contains(app.Log.Entries, e => e.StartsWith("Warning") && e.Contains("could not be read") && e.Contains($"ESMTP {Marker}"));
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.1")]
    [InlineData("intranet")]
    public async Task InvalidAllowedNetwork_StopsTheServiceFromStarting(string network)
    {
        var error = await NewsletterApp.StartupErrorAsync(new Dictionary<string, string?> { ["Feeds:AllowedNetworks:0"] = network });
        Assert.Contains($"Feeds:AllowedNetworks: '{network}' is not a CIDR range", error);
    }
}
