using NewsletterService.Infrastructure;
using NewsletterService.Security;

namespace NewsletterService.Accounts;

/// <summary>
/// Managing dashboard accounts: invitations, password resets by mail, the users page and <c>/api/users</c>. Sign-in itself
/// (Identity, cookies, sessions) is <see cref="AdminLogin"/>.
/// </summary>
public static class AccountsRegistration
{
    public const string ResetRateLimit = "password-reset";

    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<AccountDirectory>();
        builder.Services.AddScoped<AccountPasswords>();
        builder.Services.AddScoped<AccountMailJobs>();
        builder.Services.AddPerClientLimit<AdminOptions>(ResetRateLimit, o => o.PasswordResetsPerMinute);
        return builder;
    }
}
