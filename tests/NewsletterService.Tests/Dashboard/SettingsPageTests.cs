using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Dashboard;

/// <summary>The settings page's SMTP connection test, and the plain page a failing dashboard page answers with.</summary>
public sealed partial class SettingsPageTests
{
    [Fact]
    public async Task ConnectionTest_TriesEveryServerOfSmtpServers_AndReportsEachOne_NotTheUnusedSingleHost()
    {
        await using var second = await SmtpCapture.StartAsync();
        // Smtp:Host/Port still name the app's own capture, which the sender does not use once Smtp:Servers is set.
        await using var app = await NewsletterApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Smtp:Servers:0:Host"] = "127.0.0.1", ["Smtp:Servers:0:Port"] = second.Port.ToString(), ["Smtp:Servers:0:SecureSocket"] = "None",
            ["Smtp:Servers:1:Host"] = "127.0.0.1", ["Smtp:Servers:1:Port"] = "1", ["Smtp:Servers:1:SecureSocket"] = "None", // nothing listens on port 1
        });
        var browser = app.Anonymous();
        await (await browser.LoginAsync()).ReadRedirectAsync("/admin");

        var response = await browser.PostFormAsync("/admin/settings?handler=Test", new Dictionary<string, string>(), formPage: "/admin/settings");

        await response.ReadRedirectAsync("/admin/settings"); // Post/Redirect/Get: the results are shown on the page it leads back to
        var alerts = Alert().Matches(WebUtility.HtmlDecode(await browser.GetStringAsync("/admin/settings")))
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        Assert.Equal(2, alerts.Count);
        Assert.Equal("ok", alerts[0].Item1);
        Assert.StartsWith($"Connected to 127.0.0.1:{second.Port} (not encrypted, no login).", alerts[0].Item2);
        Assert.Equal("error", alerts[1].Item1);
        Assert.StartsWith("Could not use 127.0.0.1:1: SocketException", alerts[1].Item2);
        Assert.DoesNotContain(alerts, a => a.Item2.Contains($":{app.Smtp.Port}"));
    }

    [Fact]
    public async Task EachMailboxsConfiguration_IsShown_ButNeverItsPassword()
    {
        const string imapSecret = "imap-Secret-Value-4711", popSecret = "pop-Secret-Value-0815";
        await using var app = await NewsletterApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Mailboxes:Bounces:Host"] = "imap.mail.example.test", ["Mailboxes:Bounces:Port"] = "993",
            ["Mailboxes:Bounces:SecureSocket"] = "SslOnConnect", ["Mailboxes:Bounces:Username"] = "bounce-reader",
            ["Mailboxes:Bounces:Password"] = imapSecret, ["Mailboxes:Bounces:Folder"] = "Returns",
            ["Mailboxes:Unsubscribes:Host"] = "pop.mail.example.test", ["Mailboxes:Unsubscribes:Protocol"] = "Pop3",
            ["Mailboxes:Unsubscribes:Username"] = "leave-reader", ["Mailboxes:Unsubscribes:Password"] = popSecret,
            ["Mailboxes:PollInterval"] = "00:05:00",
        });
        var browser = app.Anonymous();
        await (await browser.LoginAsync()).ReadRedirectAsync("/admin");

        var html = WebUtility.HtmlDecode(await browser.GetStringAsync("/admin/settings"));

        var start = html.IndexOf("<h2 id=\"mailboxes\">", StringComparison.Ordinal);
        var mailboxes = html[start..html.IndexOf("id=\"sign-in\"", start, StringComparison.Ordinal)];
        Assert.Contains("Read every 5 min", mailboxes);
        Assert.Contains("<dt>Host</dt><dd><code>imap.mail.example.test</code></dd>", mailboxes);
        Assert.Contains("<dt>Port</dt><dd>993</dd>", mailboxes);
        Assert.Contains("<dt>Security</dt><dd>SslOnConnect</dd>", mailboxes);
        Assert.Contains("<dt>Username</dt><dd>bounce-reader</dd>", mailboxes);
        Assert.Contains("<dt>Folder</dt><dd>Returns</dd>", mailboxes);
        Assert.Contains("<dt>Protocol</dt><dd>POP3</dd>", mailboxes);
        Assert.Contains("<dt>Port</dt><dd>the protocol's default</dd>", mailboxes);
        Assert.Equal(2, mailboxes.Split("<dt>Password</dt><dd>set (hidden)</dd>").Length - 1);
        Assert.DoesNotContain("Secret-Value", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Secret-Value", await browser.GetStringAsync("/admin/bounces"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AFailingDashboardPage_Answers500WithThePlainErrorPage_AndAReference_NeverTheException()
    {
        await using var app = await NewsletterApp.StartAsync();
        var browser = app.Anonymous();
        await (await browser.LoginAsync()).ReadRedirectAsync("/admin");
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DROP TABLE \"Lists\""));

        var response = await browser.GetAsync("/admin/lists");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Something went wrong</h1>", html);
        Assert.Matches("logged with reference [0-9a-f]{32}\\.", html);
        Assert.Contains("/assets/public.css?v=", html);
        Assert.DoesNotContain("Lists", html);
        Assert.DoesNotContain("Exception", html);
    }

    [GeneratedRegex("<div class=\"alert (ok|error)\" role=\"[a-z]+\">([^<]*)</div>")]
    private static partial Regex Alert();
}
