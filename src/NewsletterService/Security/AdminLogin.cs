using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using NewsletterService.Accounts;
using NewsletterService.Data;

namespace NewsletterService.Security;

/// <summary>
/// Dashboard accounts on ASP.NET Core Identity (EF Core stores in <see cref="NewsletterDb"/>, its password hasher,
/// lock-out, security stamps and token providers) and its login cookie: HTTP-only, same-site, sliding expiry of
/// <c>Admin:SessionTimeout</c>, valid only while its server-side session (<see cref="AdminSessions"/>) lasts.
/// </summary>
public static class AdminLogin
{
    public static readonly string Scheme = IdentityConstants.ApplicationScheme;
    public const string LoginPath = "/admin/login";

    /// <summary>The shortest password an account may have (the configured owner's included).</summary>
    public const int MinPasswordLength = 12;

    public static AuthenticationBuilder AddAdminLogin(this AuthenticationBuilder authentication)
    {
        var services = authentication.Services;
        services.AddSingleton<LoginThrottles>();
        services.AddSingleton<KnownDevice>();
        services.AddSingleton<AdminSessions>();
        services.AddScoped<AccountLogins>();
        services.AddScoped<AccountMailer>();
        services.AddHostedService<OwnerBootstrap>();
        services.AddIdentityCore<Account>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.User.AllowedUserNameCharacters = ""; // the user name is the address, and addresses may hold ' & + and more
                // Length over composition rules (NIST SP 800-63B): any 12 characters or more.
                o.Password = new PasswordOptions
                {
                    RequiredLength = MinPasswordLength, RequiredUniqueChars = 1, RequireDigit = false, RequireLowercase = false,
                    RequireUppercase = false, RequireNonAlphanumeric = false,
                };
                // Passwords are throttled by LoginThrottles; Identity's lock-out holds back guessed authenticator codes.
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<NewsletterDb>()
            .AddSignInManager<AccountSignInManager>()
            .AddDefaultTokenProviders()
            .AddAccountTokens();
        services.AddScoped(sp => (AccountSignInManager)sp.GetRequiredService<SignInManager<Account>>());
        services.AddScoped<AccountSecurity>(); // two-factor sign-in and one's own password
        services.AddSingleton<TwoFactorRequirement>();
        authentication.AddIdentityCookies();
        services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<IOptions<AdminOptions>>((cookie, admin) =>
        {
            cookie.ExpireTimeSpan = admin.Value.SessionTimeout;
            cookie.Cookie.Name = "newsletter.admin";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = LoginPath;
            cookie.LogoutPath = "/admin/logout";
            cookie.Events.OnValidatePrincipal = AdminSessions.ValidateAsync;
            cookie.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden; // the plain error page says the role does not allow it
                return Task.CompletedTask;
            };
        });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme).Configure(cookie =>
        {
            cookie.Cookie.Name = "newsletter.2fa";
            cookie.Cookie.SameSite = SameSiteMode.Strict;
        });
        return authentication;
    }
}
