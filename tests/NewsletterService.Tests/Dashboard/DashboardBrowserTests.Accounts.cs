using NewsletterService.Tests.Accounts;
using NewsletterService.Tests.Infrastructure;
using OpenQA.Selenium;

namespace NewsletterService.Tests.Dashboard;

public sealed partial class DashboardBrowserTests
{
    [SkippableFact]
    public async Task InvitedEditor_SetsAPassword_TurnsOnTwoFactor_AndSignsInWithACodeFromTheApp()
    {
        await using var app = await NewsletterApp.StartOnKestrelAsync();
        using var browser = new Browser(app);
        const string editor = "new.editor@newsroom.test", password = "a password chosen in the browser";

        // The owner invites an editor.
        browser.Go("/admin/users");
        browser.Login();
        browser.WaitForText("h1", "Users");
        browser.Fill("#email", editor);
        browser.Click("#role option[value=editor]");
        browser.Submit("form[action*='handler=Invite'] button");
        browser.WaitForText(".alert.ok", $"Invited {editor} as an editor.");
        browser.Screenshot("users");
        browser.Submit("header form.who button");
        browser.WaitForText("h2", "Log in to the dashboard");

        // The editor opens the link in the mail and chooses a password: straight into the dashboard.
        browser.Go(await app.LinkAsync(editor, "/admin/password/invitation"));
        browser.WaitForText("h2", "Welcome: choose your password");
        browser.Screenshot("invitation");
        browser.Fill("#NewPassword", password);
        browser.Fill("#Repeated", password);
        browser.Submit("main button[type=submit]");
        browser.WaitForText("header form.who", editor);
        Assert.Equal("/admin", browser.Path);

        // Two-factor sign-in, with the key typed into an "app" (the test's RFC 6238 code).
        browser.Go("/admin/account");
        browser.WaitForText("h1", "Your account");
        browser.Screenshot("account");
        browser.Submit("a[href='/admin/account/two-factor']");
        browser.WaitForText("h2", "Set up your authenticator app");
        Assert.NotNull(browser.Find(".qr svg"));
        browser.Screenshot("two-factor-setup");
        var key = browser.Text("code.key");
        browser.Fill("#code", Totp.Code(key));
        browser.Submit("main form button[type=submit]");
        browser.WaitForText("h2", "Two-factor sign-in is on");
        Assert.Equal(10, browser.Driver.FindElements(By.CssSelector(".recovery-codes code")).Count);
        browser.Screenshot("recovery-codes");

        // Signing in again asks for a code after the password.
        browser.Submit("header form.who button");
        browser.WaitForText("h2", "Log in to the dashboard");
        browser.Go("/admin/lists");
        browser.Login(editor, password);
        browser.WaitForText("h2", "Two-factor sign-in");
        Assert.StartsWith("/admin/login/code", browser.Path);
        browser.Screenshot("login-code");
        browser.Fill("#Code", Totp.WrongCode(key));
        browser.Submit("main button[type=submit]");
        browser.WaitForText(".alert.error", "Wrong code.");
        browser.Fill("#Code", Totp.Code(key));
        browser.Submit("main button[type=submit]");
        browser.WaitForText("h1", "Lists");
        Assert.Equal("/admin/lists", browser.Path);
        Assert.DoesNotContain(browser.Driver.FindElements(By.CssSelector("nav a")), a => a.Text == "Users");
    }

    [SkippableFact]
    public async Task Editor_MakesAnApiKey_SeesItOnce_AndRevokesIt()
    {
        await using var app = await NewsletterApp.StartOnKestrelAsync();
        await app.AddAccountAsync("keys@newsroom.test", "editor");
        using var browser = new Browser(app);
        browser.Go("/admin/account/keys");
        browser.Login("keys@newsroom.test", TestAccounts.Password);
        browser.WaitForText("h1", "Your API keys");

        browser.Fill("#name", "CMS publish hook");
        browser.Submit("form[action*='handler=Create'] button");
        var key = browser.Text("#new-key");
        Assert.StartsWith("nsk_", key);
        browser.Screenshot("api-keys");
        var script = app.Anonymous();
        script.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await script.GetAsync("/api/lists")).StatusCode);

        browser.Go("/admin/account/keys");
        Assert.DoesNotContain(key, browser.Text("main"));
        browser.Driver.ExecuteScript("window.confirm = function () { return true; };");
        browser.Submit("form[action*='handler=Revoke'] button");
        browser.WaitForText(".alert.ok", "Revoked the key");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await script.GetAsync("/api/lists")).StatusCode);
    }
}
