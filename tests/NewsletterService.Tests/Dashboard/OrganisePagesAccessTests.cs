using System.Net;
using System.Net.Http.Json;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Dashboard;

/// <summary>The lists, digests and feeds pages' forms: refused without a login or an antiforgery token; a stale action says why.</summary>
public sealed class OrganisePagesAccessTests : IAsyncLifetime
{
    private NewsletterApp _app = null!;

    private static readonly string[] Posts =
    [
        "/admin/lists", "/admin/lists?handler=Rename&slug=harbour", "/admin/lists?handler=Delete&slug=harbour",
        "/admin/digests?handler=Run&cadence=daily",
        "/admin/feeds", "/admin/feeds?handler=Poll&id=1", "/admin/feeds?handler=Delete&id=1",
    ];

    public static TheoryData<string> PostPaths => new(Posts);

    public async Task InitializeAsync()
    {
        _app = await NewsletterApp.StartAsync(settings: new Dictionary<string, string?> { ["Feeds:AllowPrivateNetworks"] = "true" });
        var admin = _app.Admin();
        await admin.CreateListAsync("harbour", "Harbour news");
        await admin.ImportSubscribersAsync("email,name,cadence\nana@example.test,Ana,daily\n");
        await (await admin.PostAsJsonAsync("/api/articles", new { title = "Ferry timetable", body = "New times." }))
            .ReadJsonAsync(HttpStatusCode.Created);
        await (await admin.PostAsJsonAsync("/api/feeds", new { url = "http://127.0.0.1:9/news.rss" }))
            .ReadJsonAsync(HttpStatusCode.Created);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static FormUrlEncodedContent Form() => new(new Dictionary<string, string>
    {
        ["slug"] = "sneaky", ["name"] = "Sneaky", ["url"] = "http://127.0.0.1:9/other.rss",
    });

    [Theory]
    [MemberData(nameof(PostPaths))]
    public async Task Anonymous_PostsToListsDigestsAndFeeds_RedirectToLogin(string path)
    {
        var response = await _app.Anonymous().PostAsync(path, Form());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/login", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task PostsWithoutAntiforgeryToken_ToListsDigestsAndFeeds_AreRefused_AndChangeNothing()
    {
        var editor = _app.Anonymous();
        await (await editor.LoginAsync()).ReadRedirectAsync("/admin");

        foreach (var path in Posts)
            Assert.True((await editor.PostAsync(path, Form())).StatusCode == HttpStatusCode.BadRequest,
                $"POST {path} without a token was not refused.");

        Assert.Equal(["Harbour news"], await _app.WithDbAsync(db => Task.FromResult(db.Lists.Select(l => l.Name).ToList())));
        Assert.Equal(1, await _app.WithDbAsync(db => Task.FromResult(db.Feeds.Count())));
        Assert.Equal(0, await _app.WithDbAsync(db => Task.FromResult(db.Campaigns.Count())));
    }

    [Theory]
    [InlineData("/admin/lists?handler=Delete&slug=gone", "/admin/lists", "There is no list &#x27;gone&#x27;.")]
    [InlineData("/admin/lists?handler=Rename&slug=gone", "/admin/lists",
        "The list gone was not renamed: There is no list &#x27;gone&#x27;.")]
    [InlineData("/admin/feeds?handler=Poll&id=99", "/admin/feeds", "There is no feed 99.")]
    [InlineData("/admin/feeds?handler=Delete&id=99", "/admin/feeds", "There is no feed 99.")]
    [InlineData("/admin/digests?handler=Run&cadence=hourly", "/admin/digests", "cadence must be &#x27;daily&#x27; or &#x27;weekly&#x27;.")]
    public async Task Actions_OnSomethingThatIsNotThere_ShowAClearMessage(string path, string page, string message)
    {
        var editor = _app.Anonymous();
        await (await editor.LoginAsync()).ReadRedirectAsync("/admin");

        var response = await editor.PostFormAsync(path, new Dictionary<string, string> { ["name"] = "New name" }, formPage: page);
        var html = response.StatusCode == HttpStatusCode.Redirect
            ? await editor.GetStringAsync(response.Headers.Location!.OriginalString) : await response.Content.ReadAsStringAsync();

        Assert.Contains($"role=\"alert\">{message}", html);
        Assert.DoesNotContain("Exception", html);
    }
}
