using System.Net;
using NewsletterService.Tests.Infrastructure;

namespace NewsletterService.Tests.Accounts;

/// <summary>"Forgot your password?": a single-use link by mail, and no way to learn from it whether an address has an account.</summary>
public abstract class PasswordResetTests(Database database)
{
    private const string Reset = "/admin/password/reset";
    private const string NewPassword = "a brand new long password";

    private static async Task<string> ForgotAsync(NewsletterApp app, string email)
    {
        var response = await app.Anonymous().PostFormAsync("/admin/password/forgot", new Dictionary<string, string> { ["Email"] = email });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [SkippableFact]
    public async Task ForgotPassword_MailsALink_ThatSetsANewPasswordOnce_AndEndsOldSessions()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        await app.AddAccountAsync("writer@newsroom.test", "writer");
        var oldSession = await app.SignedInAsync("writer@newsroom.test");

        await ForgotAsync(app, "Writer@Newsroom.test");
        var link = await app.LinkAsync("writer@newsroom.test", Reset);
        await (await app.Anonymous().SetPasswordAsync(link, NewPassword)).ReadRedirectAsync("/admin/login");

        Assert.Equal(HttpStatusCode.Redirect, (await oldSession.GetAsync("/admin/articles")).StatusCode);
        var oldPassword = await app.Anonymous().LoginAsync("writer@newsroom.test", TestAccounts.Password);
        Assert.Contains("Wrong email or password.", await oldPassword.Content.ReadAsStringAsync());
        await (await app.Anonymous().LoginAsync("writer@newsroom.test", NewPassword)).ReadRedirectAsync("/admin");
        var reused = await app.Anonymous().SetPasswordAsync(link, "someone else's password");
        Assert.Contains("This link does not work", await reused.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task ForgotPassword_AnswersTheSame_ForAnUnknownAddress_AndMailsNobody()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        await app.AddAccountAsync("writer@newsroom.test", "writer");

        var unknown = await ForgotAsync(app, "nobody@newsroom.test");
        var known = await ForgotAsync(app, "writer@newsroom.test");

        Assert.Equal(unknown.Replace("nobody@newsroom.test", "X"), known.Replace("writer@newsroom.test", "X"));
        await app.WaitForSucceededJobsAsync("PasswordResetAsync", 2);
        await app.LinkAsync("writer@newsroom.test", Reset);
        Assert.Empty(app.Smtp.To("nobody@newsroom.test"));
    }

    [SkippableFact]
    public async Task ResetLink_WithATamperedToken_OrAnotherAccountsId_SetsNothing()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        var writer = await app.AddAccountAsync("writer@newsroom.test", "writer");
        var owner = await app.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Email == NewsletterApp.AdminEmail).Id));
        await ForgotAsync(app, "writer@newsroom.test");
        var link = await app.LinkAsync("writer@newsroom.test", Reset);

        var tampered = await app.Anonymous().SetPasswordAsync(MailedLinks.Tampered(link), NewPassword);
        var otherAccount = await app.Anonymous().SetPasswordAsync(link.Replace("user=" + Uri.EscapeDataString(writer.Id), "user=" + owner), NewPassword);

        Assert.Contains("This link does not work", await tampered.Content.ReadAsStringAsync());
        Assert.Contains("This link does not work", await otherAccount.Content.ReadAsStringAsync());
        await (await app.Anonymous().LoginAsync()).ReadRedirectAsync("/admin");
        await (await app.Anonymous().LoginAsync("writer@newsroom.test", TestAccounts.Password)).ReadRedirectAsync("/admin");
    }

    [SkippableFact]
    public async Task ManyRequestsForOneAccount_MailItOnlyOnce_InAShortTime()
    {
        await using var app = await NewsletterApp.StartAsync(database);
        await app.AddAccountAsync("writer@newsroom.test", "writer");

        for (var i = 0; i < 3; i++) await ForgotAsync(app, "writer@newsroom.test");
        await app.WaitForSucceededJobsAsync("PasswordResetAsync", 3);

        Assert.Single(app.Smtp.To("writer@newsroom.test"));
    }

    [SkippableFact]
    public async Task ForgotPassword_IsRateLimitedPerClient()
    {
        await using var app = await NewsletterApp.StartAsync(database, new Dictionary<string, string?> { ["Admin:PasswordResetsPerMinute"] = "3" });
        var browser = app.Anonymous();
        HttpResponseMessage last;
        var tries = 0;
        do last = await browser.GetAsync("/admin/password/forgot");
        while (last.StatusCode == HttpStatusCode.OK && ++tries < 10);

        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
        Assert.Equal(3, tries);
    }
}

public sealed class PasswordResetOnSqlite() : PasswordResetTests(Database.Sqlite);

public sealed class PasswordResetOnPostgres() : PasswordResetTests(Database.Postgres);
