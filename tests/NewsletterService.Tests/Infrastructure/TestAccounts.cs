using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;
using NewsletterService.Accounts;

namespace NewsletterService.Tests.Infrastructure;

/// <summary>Accounts of each role, made as the service's own account store makes them, and browsers signed in as them.</summary>
public static class TestAccounts
{
    public const string Password = "a long enough test password";

    public static async Task<Account> AddAccountAsync(this NewsletterApp app, string email, string role, string password = Password)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        var account = new Account { UserName = email, Email = email, EmailConfirmed = true };
        Check(await users.CreateAsync(account, password));
        Check(await users.AddToRoleAsync(account, role));
        return account;
    }

    private static void Check(IdentityResult result) =>
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));

    /// <summary>A browser with its own cookies, signed in as <paramref name="email"/>.</summary>
    public static async Task<HttpClient> SignedInAsync(this NewsletterApp app, string email, string password = Password)
    {
        var browser = app.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(new System.Net.CookieContainer()));
        await (await browser.LoginAsync(email, password)).ReadRedirectAsync("/admin");
        return browser;
    }
}
