using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace NewsletterService.Infrastructure;

/// <summary>
/// Named rate limits per client address (ASP.NET Core's rate limiter; the address is what forwarded-headers handling gives):
/// a fixed window of one minute, and past the limit 429 with Retry-After. Endpoints opt in with <c>RequireRateLimiting(policy)</c>.
/// </summary>
public static class ClientRateLimits
{
    public static IServiceCollection AddPerClientLimit<TOptions>(
        this IServiceCollection services, string policy, Func<TOptions, int> perMinute)
        where TOptions : class =>
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                SetRetryAfter(context.Lease, context.HttpContext.Response);
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(policy, http =>
                PerClient(http, perMinute(http.RequestServices.GetRequiredService<IOptions<TOptions>>().Value)));
        });

    /// <summary>The client's own fixed window of <paramref name="perMinute"/> requests a minute.</summary>
    public static RateLimitPartition<string> PerClient(HttpContext http, int perMinute) => RateLimitPartition.GetFixedWindowLimiter(
        http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
        _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });

    /// <summary>A refused request's <c>Retry-After</c>: when the client's window opens again.</summary>
    public static void SetRetryAfter(RateLimitLease lease, HttpResponse response)
    {
        if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
            response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
    }
}
