using System.Net;
using System.Net.Http.Json;
using NewsletterService.Security;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Branding;

/// <summary>Section <c>Branding</c>: the logo and accent colour on a real sent mail and every reader page; only safe values.</summary>
public sealed class BrandingTests : IAsyncLifetime
{
    private const string Logo = "https://cdn.example.test/harbour/logo.png?w=240&h=60";
    private const string EncodedLogo = "https://cdn.example.test/harbour/logo.png?w=240&amp;h=60";
    private const string Accent = "#c0392b";
    private NewsletterApp _app = null!;

    public async Task InitializeAsync() =>
        _app = await NewsletterApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Branding:LogoUrl"] = Logo, ["Branding:AccentColor"] = Accent,
        });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static HttpRequestMessage Page(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");
        return request;
    }

    [Fact]
    public async Task LogoAndAccent_AreInTheSentCampaignMail_AndTheConfirmationMail()
    {
        await _app.ConfirmedSubscriberAsync("ana@example.test", "Ana");
        var confirmation = _app.Smtp.To("ana@example.test")[0];
        var article = await _app.Admin().ImportArticleAsync("Quay reopens\n\nThe quay is open again.");
        var campaign = await _app.Admin().StartCampaignAsync(article["id"]!.GetValue<long>());
        await _app.Admin().WaitForCampaignAsync(campaign);

        var mail = (await _app.WaitForMailsToAsync("ana@example.test", 2))[1];

        foreach (var html in new[] { mail.HtmlBody, confirmation.HtmlBody })
        {
            Assert.Contains($"<img src=\"{EncodedLogo}\" alt=\"Harbour Post\"", html);
            Assert.Contains($"border-bottom: 3px solid {Accent}", html); // the masthead rule, inlined
        }
        Assert.Contains($"background-color: {Accent}", confirmation.HtmlBody); // the confirm button
        Assert.StartsWith("Harbour Post\n", mail.TextBody!.ReplaceLineEndings("\n")); // the logo's name, in the text part
    }

    [Fact]
    public async Task LogoAndAccent_AreOnEveryPublicPage()
    {
        await _app.ConfirmedSubscriberAsync("ana@example.test");
        var reader = await _app.SubscriberAsync("ana@example.test");
        var article = (await _app.Admin().ImportArticleAsync("Quay reopens\n\nThe quay is open again."))["id"]!.GetValue<long>();
        string[] pages =
        [
            "/subscribe", SubscriptionSteps.ConfirmPath(_app.Smtp.To("ana@example.test")[0]),
            $"/unsubscribe/{_app.Token(TokenPurpose.Unsubscribe, reader.Id)}",
            $"/preferences/{_app.Token(TokenPurpose.Preferences, reader.Id)}", $"/articles/{article}", "/no-such-page",
        ];

        foreach (var path in pages)
        {
            var response = await _app.Anonymous().SendAsync(Page(path));
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(html.Contains($"<img src=\"{EncodedLogo}\" alt=\"Harbour Post\""), $"{path} shows no logo: {html}");
            Assert.True(html.Contains(Accent), $"{path} has no accent colour: {html}");
            Assert.Contains("img-src 'self' https:", response.Headers.GetValues("Content-Security-Policy").Single());
        }
    }

    [Theory]
    [InlineData("Branding:AccentColor", "red;}body{display:none")]
    [InlineData("Branding:AccentColor", "#c0392b;}body{display:none}")]
    [InlineData("Branding:AccentColor", "#c0392b\n")]
    [InlineData("Branding:AccentColor", "red")]
    [InlineData("Branding:AccentColor", "#12345")]
    [InlineData("Branding:AccentColor", "#gggggg")]
    [InlineData("Branding:LogoUrl", "javascript:alert(1)")]
    [InlineData("Branding:LogoUrl", "http://cdn.example.test/logo.png")]
    [InlineData("Branding:LogoUrl", "//cdn.example.test/logo.png")]
    [InlineData("Branding:LogoUrl", "/logo.png")]
    [InlineData("Branding:LogoUrl", "https://cdn.example.test/logo.png\" onerror=\"alert(1)")]
    [InlineData("Branding:LogoUrl", "data:image/svg+xml,<svg onload=alert(1)>")]
    public async Task HostileBranding_IsRefusedAtStartUp_NamingTheKey(string key, string value)
    {
        var error = await NewsletterApp.StartupErrorAsync(new Dictionary<string, string?> { [key] = value });

        Assert.Contains(key, error);
    }

    [Fact]
    public async Task WithoutBranding_TheNameIsTheMasthead()
    {
        await using var plain = await NewsletterApp.StartAsync();

        var html = await (await plain.Anonymous().SendAsync(Page("/subscribe"))).Content.ReadAsStringAsync();

        Assert.Contains("<header class=\"brand\">Harbour Post</header>", html);
        Assert.DoesNotContain("<img", html);
    }
}
