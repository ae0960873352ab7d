using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using NewsletterService.Infrastructure;

namespace NewsletterService.Security;

public static class AdminSecurity
{
    public const string Policy = "Admin";

    public static WebApplicationBuilder AddAdminSecurity(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddValidatedOptions<AdminOptions>(AdminOptions.Section)
            .PostConfigure(o =>
            {
                // A first run in Development gets a key for this run only; it is printed at start-up.
                if (development && string.IsNullOrEmpty(o.ApiKey)) o.ApiKey = "dev-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            })
            .Validate(o => o.ApiKey is { Length: >= 32 },
                "Admin:ApiKey must be set to a secret of 32 or more characters (environment variable Admin__ApiKey).");

        builder.Services.AddAuthentication(ApiKeyAuthentication.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.Scheme, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(ApiKeyAuthentication.Scheme).RequireRole("admin"));
        builder.Services.AddSingleton<SigningKey>();
        builder.Services.AddSingleton<LinkTokens>();
        return builder;
    }

    public static WebApplication UseAdminSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        var key = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AdminOptions>>().Value.ApiKey;
        if (app.Environment.IsDevelopment() && string.IsNullOrEmpty(app.Configuration["Admin:ApiKey"]))
            app.Logger.LogWarning("Admin:ApiKey is not set; for this run the admin API accepts 'Authorization: Bearer {ApiKey}'", key);
        return app;
    }
}
