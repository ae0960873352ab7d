using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace NewsletterService.Security;

/// <summary>
/// The dashboard's login cookie: HTTP-only, same-site, sliding expiry of <c>Admin:SessionTimeout</c>, valid only while
/// its server-side session (<see cref="AdminSessions"/>) lasts.
/// </summary>
public static class AdminLogin
{
    public const string Scheme = "AdminCookie";
    public const string LoginPath = "/admin/login";

    public static AuthenticationBuilder AddAdminLogin(this AuthenticationBuilder authentication)
    {
        authentication.Services.AddSingleton<LoginThrottles>();
        authentication.Services.AddSingleton<KnownDevice>();
        authentication.Services.AddSingleton<AdminSessions>();
        authentication.Services.AddSingleton<AdminAccounts>();
        authentication.Services.AddHostedService(s => s.GetRequiredService<AdminAccounts>());
        authentication.Services.AddOptions<CookieAuthenticationOptions>(Scheme)
            .Configure<IOptions<AdminOptions>>((cookie, admin) => cookie.ExpireTimeSpan = admin.Value.SessionTimeout);
        return authentication.AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = "newsletter.admin";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = LoginPath;
            cookie.LogoutPath = "/admin/logout";
            cookie.AccessDeniedPath = LoginPath;
            cookie.Events.OnValidatePrincipal = AdminSessions.ValidateAsync;
        });
    }
}
