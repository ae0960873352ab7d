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
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    context.HttpContext.Response.Headers.RetryAfter =
                        ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(policy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute(http.RequestServices.GetRequiredService<IOptions<TOptions>>().Value),
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
        });
}
