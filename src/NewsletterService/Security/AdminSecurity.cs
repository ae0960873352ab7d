using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using NewsletterService.Accounts;
using NewsletterService.Data;
using NewsletterService.Infrastructure;

namespace NewsletterService.Security;

public static class AdminSecurity
{
    public const string Policy = "Admin";

    /// <summary>Picks the API key for <c>Authorization: Bearer</c> and for <c>/api</c>, the login cookie for everything else.</summary>
    public const string Scheme = "Admin";

    public static WebApplicationBuilder AddAdminSecurity(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        var production = builder.Environment.IsProduction();
        builder.Services.AddValidatedOptions<AdminOptions>(AdminOptions.Section)
            .PostConfigure(o =>
            {
                if (string.IsNullOrWhiteSpace(o.Email)) o.Email = AdminOptions.DefaultEmail; // "Email": null in appsettings.json
                // A first run in Development gets a key for this run only; it is printed at start-up.
                if (development && string.IsNullOrEmpty(o.ApiKey))
                    o.ApiKey = "dev-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
                // Outside Production a missing dashboard password is generated for this run and printed, like the key.
                if (!production && string.IsNullOrEmpty(o.Password))
                    o.Password = "dev-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            })
            .Validate(o => o.ApiKey is { Length: >= 32 },
                "Admin:ApiKey must be set to a secret of 32 or more characters (environment variable Admin__ApiKey).")
            .Validate(o => o.LoginFailureMemory >= o.LoginMaxDelay && o.LoginMaxDelay >= o.LoginFirstDelay,
                "Admin:LoginFailureMemory must be at least Admin:LoginMaxDelay, and that at least Admin:LoginFirstDelay.")
            .Validate(o => o.Password is { Length: >= AdminLogin.MinPasswordLength },
                "Admin:Password must be set to a password of 12 or more characters (environment variable Admin__Password): " +
                "it is the dashboard login of Admin:Email.");

        // Login cookies and antiforgery tokens are protected with one key ring in the database, so that any web process
        // accepts what another issued; the fixed name keeps processes installed in different folders on the same ring.
        builder.Services.AddDataProtection().SetApplicationName("NewsletterService").PersistKeysToDbContext<NewsletterDb>();

        builder.Services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "API key or dashboard login", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ||
                http.Request.Path.StartsWithSegments("/api") ? ApiKeyAuthentication.Scheme : AdminLogin.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.Scheme, null)
            .AddAdminLogin();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, PermissionAuthorization.Handler>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser()
                .AddRequirements(new PermissionAuthorization.DeclaredPermission()));
        builder.Services.AddSingleton<SigningKey>();
        builder.Services.AddSingleton<LinkTokens>();
        return builder;
    }

    public static WebApplication UseAdminSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseTwoFactorRequirement();
        var admin = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AdminOptions>>().Value;
        if (app.Environment.IsDevelopment() && string.IsNullOrEmpty(app.Configuration["Admin:ApiKey"]))
            app.Logger.LogWarning(
                "Admin:ApiKey is not set; for this run the admin API accepts 'Authorization: Bearer {ApiKey}'", admin.ApiKey);
        foreach (var gone in new[] { "Admin:MaxFailedLogins", "Admin:LockoutDuration" })
            if (app.Configuration[gone] is not null)
                app.Logger.LogWarning(
                    "{Setting} is no longer read: failed logins are now delayed per account and address " +
                    "(Admin:LoginFailuresBeforeDelay, Admin:LoginFirstDelay, Admin:LoginMaxDelay) and bounded per account " +
                    "(Admin:LoginAttemptsPerMinute)", gone);
        if (string.IsNullOrEmpty(app.Configuration["Admin:Password"]))
            app.Logger.LogWarning(
                "Admin:Password is not set; for this run the dashboard at /admin accepts {Email} with password {Password}",
                admin.Email, admin.Password);
        return app;
    }
}
