using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace NewsletterService.Security;

/// <summary>
/// A browser that logged in before (OWASP's device cookie): a long-lived cookie, protected with the shared Data
/// Protection key ring and naming the account it logged in to, sent only to the login page. It lets its browser past
/// the per-account gate of <see cref="LoginThrottles"/>, so that guessing from many addresses cannot keep the admin
/// out; the per-address delays still apply to it.
/// </summary>
public sealed class KnownDevice(IDataProtectionProvider protection, IOptions<AdminOptions> options, TimeProvider time)
{
    public const string CookieName = "newsletter.device";
    private readonly IDataProtector _protector = protection.CreateProtector("NewsletterService.KnownDevice.v1");

    /// <summary>Whether the request carries a valid, unexpired device cookie for <paramref name="account"/>.</summary>
    public bool IsKnown(HttpRequest request, string account)
    {
        if (!request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value)) return false;
        string payload;
        try { payload = _protector.Unprotect(value); }
        catch (System.Security.Cryptography.CryptographicException) { return false; }
        var parts = payload.Split('\n');
        return parts.Length == 2 && parts[0] == account
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            && time.GetUtcNow().ToUnixTimeSeconds() < expires;
    }

    /// <summary>Marks the browser of a successful login as a known device of <paramref name="account"/>.</summary>
    public void Remember(HttpResponse response, string account)
    {
        var expires = time.GetUtcNow() + options.Value.KnownDeviceLifetime;
        response.Cookies.Append(CookieName,
            _protector.Protect(account + "\n" + expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            new CookieOptions
            {
                Path = AdminLogin.LoginPath, HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = response.HttpContext.Request.IsHttps,
                Expires = expires, IsEssential = true,
            });
    }
}
