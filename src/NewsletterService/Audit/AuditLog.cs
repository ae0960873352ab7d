using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;
using NewsletterService.Security;

namespace NewsletterService.Audit;

/// <summary>
/// Writes audit entries, each in a context of its own (so an entry never carries the caller's unsaved changes along). The
/// actor is the signed-in account of the current request, <see cref="ApiKeyActor"/> for the configured API key, and
/// <see cref="SystemActor"/> outside a request (jobs); details are stored as a JSON object, never as text built from input.
/// </summary>
public sealed class AuditLog(IDbContextFactory<NewsletterDb> dbs, IHttpContextAccessor http, TimeProvider time)
{
    public const string ApiKeyActor = "api key";
    public const string SystemActor = "system";
    public const string AnonymousActor = "anonymous";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Records an action that has happened; not cancellable, so that a client that leaves does not erase its trace.</summary>
    /// <param name="details">An object whose properties are the particulars (an anonymous object will do).</param>
    /// <param name="actor">Who, when the request's user is not it yet (a sign-in names the typed address).</param>
    public async Task RecordAsync(string action, string? target, object? details = null, string? actor = null)
    {
        var context = http.HttpContext;
        await using var db = await dbs.CreateDbContextAsync();
        db.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            Actor = Cut(actor is { Length: > 0 } ? actor : ActorOf(context?.User, context is null), AuditEntry.MaxActor)!,
            Action = action,
            Target = Cut(target, AuditEntry.MaxTarget),
            Details = details is null ? null : JsonSerializer.Serialize(details, Json),
            ClientAddress = Cut(context?.Connection.RemoteIpAddress?.ToString(), AuditEntry.MaxClientAddress),
        });
        await db.SaveChangesAsync();
    }

    public static string ActorOf(ClaimsPrincipal? user, bool outsideRequest)
    {
        if (outsideRequest) return SystemActor;
        if (user?.Identity is not { IsAuthenticated: true } identity) return AnonymousActor;
        if (identity.AuthenticationType == ApiKeyAuthentication.Scheme && identity.Name == ApiKeyAuthentication.ConfiguredKeyName)
            return ApiKeyActor;
        return identity.Name is { Length: > 0 } name ? name : AnonymousActor;
    }

    private static string? Cut(string? value, int max) => value is { Length: > 0 } v && v.Length > max ? v[..max] : value;
}
