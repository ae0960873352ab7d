using System.Net;
using System.Text.Json.Nodes;
using NewsletterService.Security;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Accounts;

/// <summary>
/// Two-factor sign-in with an authenticator app: the password, then a code the test computes from the key shown on
/// the set-up page (as any app would); recovery codes work once; wrong codes count towards Identity's lock-out.
/// </summary>
public abstract class TwoFactorSignInTests(Database database)
{
    private const string Writer = "writer@newsroom.test";

    /// <summary>Many tries from one address are let through, so that Identity's lock-out is what holds codes back.</summary>
    private static readonly Dictionary<string, string?> NoDelays = new() { ["Admin:LoginFailuresBeforeDelay"] = "50" };

    private async Task<(NewsletterApp App, string Key, List<string> Codes)> WriterWithTwoFactorAsync()
    {
        var app = await NewsletterApp.StartAsync(database, NoDelays);
        await app.AddAccountAsync(Writer, AccountRoles.Writer);
        var (key, codes) = await (await app.SignedInAsync(Writer)).EnableTwoFactorAsync();
        return (app, key, codes);
    }

    [SkippableFact]
    public async Task AfterThePassword_TheAuthenticatorCodeSignsIn_AndTheReturnUrlIsKept()
    {
        var (app, key, _) = await WriterWithTwoFactorAsync();
        await using var _app = app;
        var browser = app.Anonymous();

        await browser.PasswordStepAsync(Writer, TestAccounts.Password, "/admin/lists");
        var (page, notYet) = (await browser.GetStringAsync("/admin/login/code?ReturnUrl=%2Fadmin%2Flists"), await browser.GetAsync("/admin"));
        var signedIn = await browser.CodeStepAsync(Totp.Code(key), returnUrl: "/admin/lists");

        Assert.Contains("Use a recovery code", page);
        Assert.Equal("/admin/login", notYet.Headers.Location!.AbsolutePath); // the password alone signs nobody in
        await signedIn.ReadRedirectAsync("/admin/lists");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin/lists")).StatusCode);
        var entry = (await SignInsAsync(app)).First();
        Assert.Equal(("sign-in", Writer, "authenticator"),
            (entry["action"]!.GetValue<string>(), entry["actor"]!.GetValue<string>(), entry["details"]!["method"]!.GetValue<string>()));
    }

    [SkippableFact]
    public async Task AWrongCode_IsRefused_AndRecordedAsAFailedSignIn()
    {
        var (app, key, _) = await WriterWithTwoFactorAsync();
        await using var _app = app;
        var browser = app.Anonymous();
        await browser.PasswordStepAsync(Writer, TestAccounts.Password);

        var refused = await browser.CodeStepAsync(Totp.WrongCode(key));

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Wrong code", await refused.Content.ReadAsStringAsync());
        Assert.Equal("/admin/login", (await browser.GetAsync("/admin")).Headers.Location!.AbsolutePath);
        var failed = (await SignInsAsync(app)).First();
        Assert.Equal("sign-in.failed", failed["action"]!.GetValue<string>());
        Assert.Equal("wrong code", failed["details"]!["reason"]!.GetValue<string>());
        Assert.DoesNotContain(key.Replace(" ", ""), await AllAuditTextAsync(app), StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task ARecoveryCode_SignsInOnce_AndNeverAgain()
    {
        var (app, _, codes) = await WriterWithTwoFactorAsync();
        await using var _app = app;
        var first = app.Anonymous();
        await first.PasswordStepAsync(Writer, TestAccounts.Password);
        await (await first.CodeStepAsync(codes[3], recovery: true)).ReadRedirectAsync("/admin");

        var second = app.Anonymous();
        await second.PasswordStepAsync(Writer, TestAccounts.Password);
        var again = await second.CodeStepAsync(codes[3], recovery: true);

        Assert.Contains("recovery code is wrong or has been used", await again.Content.ReadAsStringAsync());
        Assert.Contains("<strong>9</strong> recovery codes left", await first.GetStringAsync("/admin/account"));
        Assert.Equal("recovery code", (await SignInsAsync(app)).First(e => e["action"]!.GetValue<string>() == "sign-in")
            ["details"]!["method"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task FiveWrongCodes_LockTheAccountOut_EvenForTheRightCodeAfterwards()
    {
        var (app, key, _) = await WriterWithTwoFactorAsync();
        await using var _app = app;
        var browser = app.Anonymous();
        await browser.PasswordStepAsync(Writer, TestAccounts.Password);

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++) answers.Add((await browser.CodeStepAsync(Totp.WrongCode(key))).StatusCode);
        var right = await browser.CodeStepAsync(Totp.Code(key));

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 4), HttpStatusCode.TooManyRequests], answers);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Contains("locked", await right.Content.ReadAsStringAsync());
        Assert.Equal("/admin/login", (await browser.GetAsync("/admin")).Headers.Location!.AbsolutePath);
    }

    /// <summary>The account's sign-in entries (sign-in and sign-in.failed), newest first.</summary>
    internal static async Task<List<JsonNode>> SignInsAsync(NewsletterApp app, string action = "sign-in") =>
        (await (await app.Admin().GetAsync("/api/audit?action=" + action + "&actor=" + Uri.EscapeDataString(Writer)))
            .ReadJsonAsync(HttpStatusCode.OK))["items"]!.AsArray().Select(e => e!).ToList();

    private static async Task<string> AllAuditTextAsync(NewsletterApp app) => await app.Admin().GetStringAsync("/api/audit");
}

public sealed class TwoFactorSignInOnSqlite() : TwoFactorSignInTests(Database.Sqlite);

public sealed class TwoFactorSignInOnPostgres() : TwoFactorSignInTests(Database.Postgres);
