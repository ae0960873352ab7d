using System.Net;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Dashboard;

/// <summary>Who gets in: the login cookie for /admin and /hangfire, the API key for /api, antiforgery on every form.</summary>
public sealed class DashboardAccessTests
{
    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin/articles")]
    [InlineData("/admin/articles/1/email")]
    [InlineData("/admin/campaigns/1/progress")]
    [InlineData("/admin/campaigns/report/1")]
    [InlineData("/admin/subscribers/export")]
    [InlineData("/admin/settings")]
    [InlineData("/admin/lists")]
    [InlineData("/admin/digests")]
    [InlineData("/admin/feeds")]
    [InlineData("/admin/audit")]
    [InlineData("/hangfire")]
    public async Task Anonymous_DashboardAndJobs_RedirectToLogin(string path)
    {
        await using var app = await NewsletterApp.StartAsync();

        var response = await app.Anonymous().GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/login", response.Headers.Location!.AbsolutePath);
        Assert.Contains("ReturnUrl=" + Uri.EscapeDataString(path), response.Headers.Location.Query);
    }

    [Fact]
    public async Task AdminApi_Answers401_ToAnonymousCallers_AndToTheLoginCookie()
    {
        await using var app = await NewsletterApp.StartAsync();
        var browser = app.Anonymous();
        await (await browser.LoginAsync()).ReadRedirectAsync("/admin");

        foreach (var client in new[] { app.Anonymous(), browser })
        {
            var response = await client.GetAsync("/api/articles");
            await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        }
        Assert.Equal(HttpStatusCode.OK, (await app.Admin().GetAsync("/api/articles")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Admin().GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task Login_WithTheRightPassword_OpensTheDashboard_AndLogoutClosesIt()
    {
        await using var app = await NewsletterApp.StartAsync();
        var client = app.Anonymous();

        var wrong = await client.LoginAsync(password: "not the password");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("Wrong email or password.", await wrong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin")).StatusCode);

        await (await client.LoginAsync()).ReadRedirectAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/hangfire")).StatusCode);

        await (await client.PostFormAsync("/admin/logout", new Dictionary<string, string>(), formPage: "/admin"))
            .ReadRedirectAsync("/admin/login");
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task Login_AfterRepeatedFailures_MakesTheAddressWait_WithoutCheckingTheRightPassword()
    {
        await using var app = await NewsletterApp.StartAsync(
            settings: new Dictionary<string, string?> { ["Admin:LoginFirstDelay"] = "00:05:00" });
        var client = app.Anonymous();

        for (var i = 0; i < 3; i++)
            Assert.Contains("Wrong email or password.",
                await (await client.LoginAsync(password: "guess " + i)).Content.ReadAsStringAsync());

        var right = await client.LoginAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Contains("Wait 5 minutes before you try again", await right.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task Suppress_ErasesTheSubscriber_AndAnImportCannotAddTheAddressBack()
    {
        await using var app = await NewsletterApp.StartAsync();
        await app.Admin().ImportSubscribersAsync("email,name\nana@example.test,Ana\n");
        var client = app.Anonymous();
        await (await client.LoginAsync()).ReadRedirectAsync("/admin");

        var suppress = await client.PostFormAsync("/admin/subscribers?handler=Suppress&id=1", new Dictionary<string, string>(),
            formPage: "/admin/subscribers");
        var again = await app.Admin().ImportSubscribersAsync("email,name\nANA@example.test,Ana\n");

        Assert.Equal(HttpStatusCode.Redirect, suppress.StatusCode);
        Assert.Equal(0, again["imported"]!.GetValue<int>());
        Assert.Equal(0, await app.WithDbAsync(db => Task.FromResult(db.Subscribers.Count())));
        Assert.Equal(1, await app.WithDbAsync(db => Task.FromResult(db.Suppressions.Count())));
    }

    [Fact]
    public async Task FormPosts_WithoutAntiforgeryToken_AreRefused()
    {
        await using var app = await NewsletterApp.StartAsync();
        await app.Admin().ImportSubscribersAsync(Api.Csv(1));
        var client = app.Anonymous();
        await (await client.LoginAsync()).ReadRedirectAsync("/admin");

        var login = await app.Anonymous().PostAsync("/admin/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = NewsletterApp.AdminEmail, ["Password"] = NewsletterApp.AdminPassword,
        }));
        var delete = await client.PostAsync("/admin/subscribers?handler=Delete&id=1",
            new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, delete.StatusCode);
        Assert.Equal(1, await app.WithDbAsync(db => Task.FromResult(db.Subscribers.Count())));
    }

    [Fact]
    public async Task Production_RefusesToStart_WithoutAnAdminPassword()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = await NewsletterApp.StartAsync(
                settings: new Dictionary<string, string?> { ["environment"] = "Production", ["Admin:Password"] = null });
        });
        Assert.Contains("Admin:Password must be set", error.ToString());
    }
}
