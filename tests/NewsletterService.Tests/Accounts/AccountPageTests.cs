using System.Net;
using System.Text.RegularExpressions;
using NewsletterService.Security;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Accounts;

/// <summary>
/// "Your account": the set-up page's QR code and otpauth URI, turning two-factor sign-in off (only with a current code),
/// new recovery codes, and changing one's own password (other sessions end); each recorded in the audit log.
/// </summary>
public abstract partial class AccountPageTests(Database database)
{
    private const string Email = "ann+news@newsroom.test";

    [SkippableFact]
    public async Task TheSetupPage_ShowsTheQrCodeInline_AndAnOtpauthUriWithTheIssuerAndTheEncodedEmail()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        await app.AddAccountAsync(Email, AccountRoles.Viewer);
        var browser = await app.SignedInAsync(Email);

        var response = await browser.GetAsync(TwoFactorSteps.SetupPage);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoStore);
        var svg = Svg().Match(html);
        Assert.True(svg.Success, "No inline SVG on the set-up page.");
        Assert.DoesNotContain("style=", svg.Value); // the dashboard's CSP allows no inline styles
        var key = TwoFactorSteps.KeyOn(html);
        Assert.Matches("^([a-z2-7]{4} )+[a-z2-7]{1,4}$", key);
        var uri = WebUtility.HtmlDecode(Regex.Match(html, "href=\"(otpauth://[^\"]+)\"").Groups[1].Value);
        Assert.Equal($"otpauth://totp/Harbour%20Post:ann%2Bnews%40newsroom.test?secret={key.Replace(" ", "").ToUpperInvariant()}" +
            "&issuer=Harbour%20Post&digits=6", uri);
        Assert.Contains("href=\"/admin/account\"", html); // the layout's link to the account page
    }

    [SkippableFact]
    public async Task TurningTwoFactorOff_NeedsACurrentCode()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        await app.AddAccountAsync(Email, AccountRoles.Editor);
        var browser = await app.SignedInAsync(Email);
        var (key, _) = await browser.EnableTwoFactorAsync();

        var refused = await browser.PostFormAsync("/admin/account?handler=Disable",
            new Dictionary<string, string> { ["code"] = Totp.WrongCode(key) }, formPage: "/admin/account");
        Assert.Contains("Wrong code", await refused.Content.ReadAsStringAsync());
        Assert.True(await TwoFactorOnAsync(app));

        var off = await browser.PostFormAsync("/admin/account?handler=Disable",
            new Dictionary<string, string> { ["code"] = Totp.Code(key) }, formPage: "/admin/account");
        await off.ReadRedirectAsync("/admin/account");
        Assert.False(await TwoFactorOnAsync(app));
        Assert.Contains("Set up two-factor sign-in", await browser.GetStringAsync("/admin/account"));
        await (await app.Anonymous().LoginAsync(Email, TestAccounts.Password)).ReadRedirectAsync("/admin");
        Assert.Equal(["2fa.disabled", "2fa.wrong-code", "2fa.enabled"], await ActionsAsync(app, "2fa"));
    }

    [SkippableFact]
    public async Task NewRecoveryCodes_ReplaceTheOldOnes()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        await app.AddAccountAsync(Email, AccountRoles.Writer);
        var browser = await app.SignedInAsync(Email);
        var (key, old) = await browser.EnableTwoFactorAsync();

        var page = await browser.PostFormAsync("/admin/account?handler=Regenerate",
            new Dictionary<string, string> { ["code"] = Totp.Code(key) }, formPage: "/admin/account");
        var fresh = TwoFactorSteps.RecoveryCodesOn(await page.Content.ReadAsStringAsync());

        Assert.Equal(10, fresh.Count);
        Assert.Empty(fresh.Intersect(old));
        var other = app.Anonymous();
        await other.PasswordStepAsync(Email, TestAccounts.Password);
        Assert.Equal(HttpStatusCode.OK, (await other.CodeStepAsync(old[0], recovery: true)).StatusCode); // refused
        await (await other.CodeStepAsync(fresh[0].ToLowerInvariant().Replace("-", ""), recovery: true)).ReadRedirectAsync("/admin");
        Assert.Equal(["recovery-codes.generated", "recovery-codes.generated"], await ActionsAsync(app, "recovery-codes"));
        Assert.DoesNotContain(fresh[1], await app.Admin().GetStringAsync("/api/audit"));
    }

    [SkippableFact]
    public async Task ChangingThePassword_NeedsTheCurrentOne_AndEndsTheOtherSessions()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        await app.AddAccountAsync(Email, AccountRoles.Viewer);
        var (browser, elsewhere) = (await app.SignedInAsync(Email), await app.SignedInAsync(Email));
        const string next = "an entirely new passphrase";

        var wrong = await browser.PostFormAsync("/admin/account?handler=Password",
            new Dictionary<string, string> { ["current"] = "not my password", ["password"] = next, ["confirm"] = next },
            formPage: "/admin/account");
        var tooShort = await browser.PostFormAsync("/admin/account?handler=Password",
            new Dictionary<string, string> { ["current"] = TestAccounts.Password, ["password"] = "short", ["confirm"] = "short" },
            formPage: "/admin/account");
        var changed = await browser.PostFormAsync("/admin/account?handler=Password",
            new Dictionary<string, string> { ["current"] = TestAccounts.Password, ["password"] = next, ["confirm"] = next },
            formPage: "/admin/account");

        Assert.Contains("id=\"current-error\"", await wrong.Content.ReadAsStringAsync());
        Assert.Contains("id=\"password-error\"", await tooShort.Content.ReadAsStringAsync());
        await changed.ReadRedirectAsync("/admin/account");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin/lists")).StatusCode);
        Assert.Equal("/admin/login", (await elsewhere.GetAsync("/admin/lists")).Headers.Location!.AbsolutePath);
        await (await app.Anonymous().LoginAsync(Email, next)).ReadRedirectAsync("/admin");
        Assert.Equal(["password.changed"], await ActionsAsync(app, "password"));
    }

    private static Task<bool> TwoFactorOnAsync(NewsletterApp app) =>
        app.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Email == Email).TwoFactorEnabled));

    /// <summary>The account's audit entries of one action family, newest first.</summary>
    internal static async Task<List<string>> ActionsAsync(NewsletterApp app, string family, string actor = Email) =>
        (await (await app.Admin().GetAsync("/api/audit?action=" + family + "&actor=" + Uri.EscapeDataString(actor)))
            .ReadJsonAsync(HttpStatusCode.OK))["items"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()).ToList();

    [GeneratedRegex("<svg[\\s\\S]*?</svg>")]
    private static partial Regex Svg();
}

public sealed class AccountPageOnSqlite() : AccountPageTests(Database.Sqlite);

public sealed class AccountPageOnPostgres() : AccountPageTests(Database.Postgres);
