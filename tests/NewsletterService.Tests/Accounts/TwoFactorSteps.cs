using System.Net;
using System.Text.RegularExpressions;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Accounts;

/// <summary>What a person does with two-factor sign-in, done with an HttpClient that keeps cookies.</summary>
public static partial class TwoFactorSteps
{
    public const string SetupPage = "/admin/account/two-factor";

    /// <summary>Sets up two-factor sign-in on the set-up page; the key (as shown) and the recovery codes.</summary>
    public static async Task<(string Key, List<string> RecoveryCodes)> EnableTwoFactorAsync(this HttpClient browser)
    {
        var key = KeyOn(await browser.GetStringAsync(SetupPage));
        var enabled = await browser.PostFormAsync(SetupPage, new Dictionary<string, string> { ["code"] = Totp.Code(key) });
        var html = await enabled.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var codes = RecoveryCodesOn(html);
        Assert.Equal(10, codes.Count);
        return (key, codes);
    }

    public static string KeyOn(string html) =>
        WebUtility.HtmlDecode(Key().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No key shown."));

    public static List<string> RecoveryCodesOn(string html) =>
        [.. RecoveryCode().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];

    /// <summary>The password step; for an account with two-factor sign-in it leads to the code page.</summary>
    public static async Task PasswordStepAsync(this HttpClient browser, string email, string password, string returnUrl = "/admin")
    {
        var response = await browser.PostFormAsync("/admin/login",
            new Dictionary<string, string> { ["Email"] = email, ["Password"] = password, ["ReturnUrl"] = returnUrl });
        await response.ReadRedirectAsync("/admin/login/code?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
    }

    public static Task<HttpResponseMessage> CodeStepAsync(this HttpClient browser, string code, bool recovery = false,
        string returnUrl = "/admin") =>
        browser.PostFormAsync("/admin/login/code", new Dictionary<string, string>
        {
            ["Code"] = code, ["Recovery"] = recovery ? "true" : "false", ["ReturnUrl"] = returnUrl,
        }, formPage: "/admin/login/code" + (recovery ? "?recovery=true" : ""));

    [GeneratedRegex("<code class=\"key\">([^<]+)</code>")]
    private static partial Regex Key();

    [GeneratedRegex("<li><code>([^<]+)</code></li>")]
    private static partial Regex RecoveryCode();
}
