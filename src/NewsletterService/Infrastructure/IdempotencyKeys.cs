using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Extensions;

namespace NewsletterService.Infrastructure;

/// <summary>
/// The <c>Idempotency-Key</c> header on the creating API endpoints (those mapped <see cref="WithIdempotencyKey{T}"/>):
/// a repeat of a request with the same key, by the same account, within <see cref="IdempotencyOptions.Retention"/>
/// gets the first request's answer (status, <c>Location</c>, body; header <c>Idempotent-Replayed: true</c>) and
/// creates nothing; the same key with another body is refused with 422; while the first is still at work, a repeat
/// waits for it, up to <see cref="IdempotencyOptions.WaitForFirst"/>, then gets 409. A 5xx or a crash gives the key up.
/// </summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    private sealed class Idempotent;

    public static TBuilder WithIdempotencyKey<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new Idempotent());

    public static IServiceCollection AddIdempotency(this IServiceCollection services)
    {
        services.AddValidatedOptions<IdempotencyOptions>(IdempotencyOptions.Section);
        return services.AddSingleton<IdempotencyStore>();
    }

    /// <summary>After authentication: the key is kept per account.</summary>
    public static WebApplication UseIdempotencyKeys(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<Idempotent>() is null || !http.Request.Headers.TryGetValue(Header, out var keys))
                await next(http);
            else await AnswerAsync(http, keys.Count == 1 ? keys[0] : null, next);
        });
        return app;
    }

    private static async Task AnswerAsync(HttpContext http, string? key, RequestDelegate next)
    {
        if (IdempotencyStore.Invalid(key) is { } why)
        {
            await Problems.Invalid(Header, $"The {Header} header {(key is null ? "must be sent once" : why)}.").ExecuteAsync(http);
            return;
        }
        var store = http.RequestServices.GetRequiredService<IdempotencyStore>();
        var endpoint = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value;
        var scope = $"api {http.Request.Method} {endpoint} {http.User.Identity?.Name}";
        var claim = await store.ClaimAsync(scope, key!, await HashAsync(http.Request), http.RequestAborted);
        switch (claim.Kind)
        {
            case IdempotencyStore.ClaimKind.Replay:
                await ReplayAsync(http, claim.Record!);
                return;
            case IdempotencyStore.ClaimKind.Mismatch:
                await Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: $"{Header} reused",
                        detail: $"The {Header} was already used with another request at {claim.Record!.CreatedAt:u}: "
                            + "use a new key for a new request.",
                        extensions: new Dictionary<string, object?>
                        { ["errors"] = new Dictionary<string, string[]> { [Header] = ["was used with another request"] } })
                    .ExecuteAsync(http);
                return;
            case IdempotencyStore.ClaimKind.InProgress:
                http.Response.Headers.RetryAfter = "1";
                await Problems.Conflict($"The request with this {Header} is still in progress: retry in a moment to get its answer.")
                    .ExecuteAsync(http);
                return;
        }

        var original = http.Response.Body;
        using var answer = new MemoryStream();
        http.Response.Body = answer;
        try
        {
            await next(http);
        }
        catch
        {
            await store.ReleaseAsync(scope, key!);
            throw;
        }
        finally
        {
            http.Response.Body = original;
        }
        var response = http.Response;
        if (response.StatusCode >= 500) await store.ReleaseAsync(scope, key!);
        else await store.CompleteAsync(scope, key!, response.StatusCode, response.ContentType, response.Headers.Location,
            Encoding.UTF8.GetString(answer.GetBuffer(), 0, (int)answer.Length));
        answer.Position = 0;
        await answer.CopyToAsync(original, http.RequestAborted);
    }

    private static async Task ReplayAsync(HttpContext http, IdempotencyRecord first)
    {
        http.Response.StatusCode = first.StatusCode!.Value;
        http.Response.ContentType = first.ContentType;
        if (first.Location is { } location) http.Response.Headers.Location = location;
        http.Response.Headers[ReplayedHeader] = "true";
        if (first.Body is { Length: > 0 } body) await http.Response.WriteAsync(body, http.RequestAborted);
    }

    /// <summary>What the request asks for: method, address with query, content type and body (read, then rewound).</summary>
    private static async Task<string> HashAsync(HttpRequest request)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.GetEncodedPathAndQuery()}\n{request.ContentType}\n"));
        request.EnableBuffering();
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0) hash.AppendData(buffer, 0, read);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
