using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MimeKit;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Reports;

/// <summary>Open and click tracking with real mails: links taken from the captured HTML and text parts, followed over HTTP.</summary>
public abstract class TrackingTests(Database database)
{
    internal const string Browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";
    private const string Docs = "https://docs.example.org/harbour?a=1&b=2";
    private const string Map = "https://maps.example.org/quay";

    internal static readonly Dictionary<string, string?> HumanOpens = new() { ["Tracking:MachineOpenSeconds"] = "0" };

    [SkippableFact]
    public async Task TrackedLinks_InHtmlAndText_RedirectToTheirAddress_AndCountOncePerReaderAsUnique()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var (admin, campaign) = await SendAsync(app, 2, new { opens = true, clicks = true });
        var mail = (await app.WaitForMailsToAsync("reader0@example.test", 1))[0];
        var html = Tracked(mail.HtmlBody);
        var text = Tracked(mail.TextBody);
        Assert.Equal(2, html.Count); // the article's two links; the unsubscribe and preferences links stay as they are
        Assert.Equal(html.Order(), text.Order());
        Assert.Contains("/unsubscribe/", mail.HtmlBody);
        Assert.DoesNotContain(Docs.Replace("&", "&amp;"), mail.HtmlBody);

        var reader = app.Anonymous();
        var targets = new List<string>();
        foreach (var link in html.Concat(text))
        {
            var response = await reader.GetAsync(link);
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            targets.Add(response.Headers.Location!.OriginalString);
        }
        var other = Tracked((await app.WaitForMailsToAsync("reader1@example.test", 1))[0].HtmlBody);
        var first = (await reader.GetAsync(other[0])).Headers.Location!.OriginalString;

        Assert.Equal([Docs, Docs, Map, Map], targets.Order());
        var report = await WaitForReportAsync(admin, campaign, r => Int(r, "clicks.total") == 5);
        Assert.Equal(2, Int(report, "clicks.unique"));
        var links = report["links"]!.AsArray().ToDictionary(l => l!["url"]!.GetValue<string>(), l => (Int(l!, "clicks"), Int(l!, "unique")));
        Assert.Equal((3, 2), links[first]);
        Assert.Equal((2, 1), links[first == Docs ? Map : Docs]);
    }

    [SkippableFact]
    public async Task TamperedOrForeignClickTokens_Are404_WithoutARedirect()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var (_, _) = await SendAsync(app, 1, new { clicks = true });
        var link = Tracked((await app.WaitForMailsToAsync("reader0@example.test", 1))[0].HtmlBody)[0];
        var token = link[(link.LastIndexOf('/') + 1)..];
        var tampered = token[..10] + (token[10] == 'A' ? 'B' : 'A') + token[11..];
        var open = app.Token(NewsletterService.Security.TokenPurpose.Unsubscribe, 1); // a valid token of another purpose

        foreach (var path in new[] { "/r/" + tampered, "/r/" + open, "/r/not-a-token", "/o/" + token })
        {
            var response = await app.Anonymous().GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Null(response.Headers.Location);
        }
    }

    [SkippableFact]
    public async Task TrackingHits_PastTheClientsLimit_Get429WithRetryAfter_AndAreNotCounted()
    {
        await using var app = await NewsletterApp.StartAsync(database,
            new Dictionary<string, string?> { ["Tracking:HitsPerMinute"] = "3", ["Tracking:MachineOpenSeconds"] = "0" });
        var (admin, campaign) = await SendAsync(app, 1, new { opens = true, clicks = true });
        var mail = (await app.WaitForMailsToAsync("reader0@example.test", 1))[0];
        var reader = app.Anonymous();
        reader.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", Browser);

        var answers = new List<HttpResponseMessage>();
        foreach (var path in new[] { Pixel(mail), Tracked(mail.HtmlBody)[0], Pixel(mail), Tracked(mail.HtmlBody)[1] })
            answers.Add(await reader.GetAsync(path));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Found, HttpStatusCode.OK, HttpStatusCode.TooManyRequests],
            answers.Select(a => a.StatusCode));
        Assert.InRange(int.Parse(answers[3].Headers.GetValues("Retry-After").Single()), 1, 60);
        Assert.All(answers, a => Assert.Equal("no-referrer", a.Headers.GetValues("Referrer-Policy").Single()));
        Assert.All(answers, a => Assert.Equal("nosniff", a.Headers.GetValues("X-Content-Type-Options").Single()));
        // a hit that was let through after the refused one would be written with it: wait for the two opens, then check clicks
        var report = await WaitForReportAsync(admin, campaign, r => Int(r, "opens.total") == 2);
        Assert.Equal(1, Int(report, "clicks.total"));
    }

    [SkippableFact]
    public async Task HitsStillBuffered_AreWritten_WhenTheServiceStopsCleanly()
    {
        await using var app = await NewsletterApp.StartAsync(database, HumanOpens);
        var (admin, campaign) = await SendAsync(app, 1, new { opens = true });
        var pixel = Pixel((await app.WaitForMailsToAsync("reader0@example.test", 1))[0]);

        var web = await NewsletterApp.StartBesideAsync(app, HumanOpens); // another web process, stopped right after the hits
        for (var i = 0; i < 200; i++) await FetchAsync(web, pixel, Browser);
        await web.DisposeAsync();

        Assert.Equal(200, Int(await CampaignReportTests.ReportAsync(admin, campaign), "opens.total"));
    }

    [SkippableFact]
    public async Task OpenPixel_CountsAReadersOpen_AndApplesProxyAsAMachine()
    {
        await using var app = await NewsletterApp.StartAsync(database, HumanOpens);
        var (admin, campaign) = await SendAsync(app, 1, new { opens = true });
        var pixel = Pixel((await app.WaitForMailsToAsync("reader0@example.test", 1))[0]);

        await FetchAsync(app, pixel, Browser);
        await FetchAsync(app, pixel, Browser);
        await FetchAsync(app, pixel, "Mozilla/5.0"); // Mail Privacy Protection's bare user agent

        var report = await WaitForReportAsync(admin, campaign, r => Int(r, "opens.total") == 2 && Int(r, "opens.machine") == 1);
        Assert.Equal(1, Int(report, "opens.unique"));
    }

    [SkippableFact]
    public async Task AnOpenWithinSecondsOfDelivery_IsAMachines()
    {
        await using var app = await NewsletterApp.StartAsync(database, new Dictionary<string, string?> { ["Tracking:MachineOpenSeconds"] = "3600" });
        var (admin, campaign) = await SendAsync(app, 1, new { opens = true });

        await FetchAsync(app, Pixel((await app.WaitForMailsToAsync("reader0@example.test", 1))[0]), Browser);

        var report = await WaitForReportAsync(admin, campaign, r => Int(r, "opens.machine") == 1);
        Assert.Equal(0, Int(report, "opens.unique"));
    }

    [SkippableFact]
    public async Task WithTrackingOff_TheMailHasNoTrackedLinkAndNoPixel()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        await SendAsync(app, 1, tracking: null); // Tracking__Opens and Tracking__Clicks default to false

        var mail = (await app.WaitForMailsToAsync("reader0@example.test", 1))[0];

        Assert.DoesNotContain("/r/", mail.HtmlBody + mail.TextBody);
        Assert.DoesNotContain("/o/", mail.HtmlBody);
        Assert.Contains(Docs.Replace("&", "&amp;"), mail.HtmlBody);
    }

    [SkippableFact]
    public async Task AReaderWhoTurnedTrackingOff_GetsPlainLinks()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var admin = app.Admin();
        await admin.ImportSubscribersAsync(Api.Csv(1));
        var id = (await app.SubscriberAsync("reader0@example.test")).Id;
        var preferences = $"/preferences/{app.Token(NewsletterService.Security.TokenPurpose.Preferences, id)}";
        var saved = await app.Anonymous().PostFormAsync(preferences,
            new Dictionary<string, string> { ["cadence"] = "immediate", ["noTracking"] = "true" });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

        await SendAsync(app, 0, new { opens = true, clicks = true });

        var mail = (await app.WaitForMailsToAsync("reader0@example.test", 1))[0];
        Assert.DoesNotContain("/r/", mail.HtmlBody + mail.TextBody);
        Assert.DoesNotContain("/o/", mail.HtmlBody);
    }

    [SkippableFact]
    public async Task ErasingAReader_DeletesTheirOpensAndClicks()
    {
        await using var app = await NewsletterApp.StartAsync(database, HumanOpens);
        var (admin, campaign) = await SendAsync(app, 1, new { opens = true, clicks = true });
        var mail = (await app.WaitForMailsToAsync("reader0@example.test", 1))[0];
        await FetchAsync(app, Pixel(mail), Browser);
        await app.Anonymous().GetAsync(Tracked(mail.HtmlBody)[0]);
        await WaitForReportAsync(admin, campaign, r => Int(r, "opens.unique") == 1 && Int(r, "clicks.unique") == 1);
        var id = (await app.SubscriberAsync("reader0@example.test")).Id;

        var erased = await app.Anonymous().PostFormAsync(
            $"/preferences/{app.Token(NewsletterService.Security.TokenPurpose.Preferences, id)}/delete",
            new Dictionary<string, string> { ["confirm"] = "yes" });
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);

        Assert.Empty(await app.WithDbAsync(db => Task.FromResult(db.Activities.ToList())));
        var report = await CampaignReportTests.ReportAsync(admin, campaign);
        Assert.Equal((0, 0), (Int(report, "opens.total"), Int(report, "clicks.total")));
    }

    internal static async Task<(HttpClient Admin, long Campaign)> SendAsync(NewsletterApp app, int readers, object? tracking)
    {
        var admin = app.Admin();
        var article = await admin.PostAsJsonAsync("/api/articles", new
        {
            title = "Harbour links", publishedAt = DateTimeOffset.UtcNow.AddDays(-1),
            body = $"Read [the plans](<{Docs}>) and see [the map]({Map}).",
        });
        var articleId = (await article.ReadJsonAsync(HttpStatusCode.Created))["id"]!.GetValue<long>();
        if (readers > 0) await admin.ImportSubscribersAsync(Api.Csv(readers));
        var response = await admin.PostAsJsonAsync("/api/campaigns", new { articleId, tracking });
        var campaign = (await response.ReadJsonAsync(HttpStatusCode.Created))["id"]!.GetValue<long>();
        await admin.WaitForCampaignAsync(campaign);
        return (admin, campaign);
    }

    /// <summary>The tracked links in a part, as paths.</summary>
    internal static List<string> Tracked(string? part) =>
        Regex.Matches(part ?? "", @"https://news\.example\.test(/r/[A-Za-z0-9_-]+)").Select(m => m.Groups[1].Value).ToList();

    internal static string Pixel(MimeMessage mail) =>
        Regex.Match(mail.HtmlBody ?? "", @"<img src=""https://news\.example\.test(/o/[A-Za-z0-9_-]+)""").Groups[1].Value is { Length: > 0 } p
            ? p : throw new InvalidOperationException("The mail has no open pixel.");

    internal static async Task FetchAsync(NewsletterApp app, string path, string userAgent)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        var response = await app.Anonymous().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/gif", response.Content.Headers.ContentType!.MediaType);
    }

    internal static async Task<JsonNode> WaitForReportAsync(HttpClient admin, long campaign, Func<JsonNode, bool> done)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var report = await CampaignReportTests.ReportAsync(admin, campaign);
            if (done(report)) return report;
            if (DateTime.UtcNow > until) throw new TimeoutException($"The report did not get there: {report.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    private static int Int(JsonNode node, string path) => CampaignReportTests.Int(node, path);
}

public sealed class TrackingOnSqlite() : TrackingTests(Database.Sqlite);

public sealed class TrackingOnPostgres() : TrackingTests(Database.Postgres);
