using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using NewsletterService.Accounts;

namespace NewsletterService.Security;

/// <summary>
/// Accepts <c>Authorization: Bearer &lt;key&gt;</c>: the configured <c>Admin:ApiKey</c> as an owner, or an account's own key
/// (<see cref="AccountApiKeys"/>) as that account, with its role of the moment.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<AdminOptions> admin,
    AccountApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public new const string Scheme = "ApiKey";

    /// <summary>The name of the configured key's principal (an account's key is named by the account's address).</summary>
    public const string ConfiguredKeyName = "api";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();

        var expected = admin.Value.ApiKey;
        var given = header["Bearer ".Length..].Trim();
        if (!string.IsNullOrEmpty(expected) &&
            CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
            return Success([new Claim(ClaimTypes.Name, ConfiguredKeyName), new Claim(ClaimTypes.Role, AccountRoles.Owner)]);

        if (await keys.FindAsync(given, Context.RequestAborted) is { } owner)
            return Success([
                new Claim(ClaimTypes.Name, owner.Email), new Claim(ClaimTypes.NameIdentifier, owner.UserId),
                new Claim(ClaimTypes.Role, owner.Role), new Claim(KeyIdClaim, owner.KeyId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ]);
        return AuthenticateResult.Fail("Invalid API key.");
    }

    /// <summary>The id of the account key a request came with.</summary>
    public const string KeyIdClaim = "newsletter:api-key";

    private static AuthenticateResult Success(Claim[] claims) => AuthenticateResult.Success(
        new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme)), Scheme));

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Results.Problem(statusCode: 403, title: "Forbidden", detail: "This key's account does not have the permission this needs.")
            .ExecuteAsync(Context);

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(statusCode: 401, title: "Unauthorized", detail: "Send the admin API key as 'Authorization: Bearer <key>'.")
            .ExecuteAsync(Context);
    }
}
