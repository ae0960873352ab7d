using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using NewsletterService.Infrastructure;
using NewsletterService.Security;

namespace NewsletterService.Tracking;

/// <summary>
/// <c>GET /o/{token}</c> (the open pixel: a 1×1 GIF) and <c>GET /r/{token}</c> (a tracked link: 302 to the address the token's
/// link names). Both answer from memory and hand the hit to the <see cref="TrackingBuffer"/>. They are the service's hottest
/// addresses (every reader's every open and click), so they answer right after routing, without the middleware a page needs
/// (sessions, sign-in, status-code pages); the one filter they share sets the reader pages' security headers and applies the
/// per-client limit <see cref="TrackingOptions.HitsPerMinute"/>. A token that is not a valid signed one, or names a link of
/// another campaign, gets 404 and never a redirect.
/// </summary>
public static class TrackingEndpoints
{
    /// <summary>A transparent 1×1 GIF.</summary>
    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public static WebApplication MapTracking(this WebApplication app)
    {
        var tracking = app.MapGroup("");
        tracking.ShortCircuit().AddEndpointFilter(GuardAsync);
        tracking.MapGet("/o/{token}", Open);
        tracking.MapGet("/r/{token}", ClickAsync);
        return app;
    }

    /// <summary>The per-client limit of the tracking addresses.</summary>
    public sealed class Limiter(IOptions<TrackingOptions> options)
    {
        public PartitionedRateLimiter<HttpContext> PerClient { get; } =
            PartitionedRateLimiter.Create<HttpContext, string>(http => ClientRateLimits.PerClient(http, options.Value.HitsPerMinute));
    }

    private static async ValueTask<object?> GuardAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        SecurityHeaders.Apply(http.Response.Headers, SecurityHeaders.Public);
        using var lease = http.RequestServices.GetRequiredService<Limiter>().PerClient.AttemptAcquire(http);
        if (lease.IsAcquired) return await next(context);
        ClientRateLimits.SetRetryAfter(lease, http.Response);
        return Results.StatusCode(StatusCodes.Status429TooManyRequests);
    }

    private static IResult Open(string token, HttpContext http, LinkTokens tokens, TrackingBuffer buffer, TimeProvider time)
    {
        if (tokens.Read(token, TokenPurpose.Open) is not { CampaignId: { } campaign } read) return Results.NotFound();
        var machine = MachineOpens.ByClient(http.Connection.RemoteIpAddress, http.Request.Headers.UserAgent);
        buffer.Add(new TrackingHit(ActivityKind.Open, campaign, read.Id, null, machine, time.GetUtcNow().UtcDateTime));
        http.Response.Headers.CacheControl = "no-store, private";
        return Results.Bytes(Pixel, "image/gif");
    }

    private static async Task<IResult> ClickAsync(
        string token, LinkTokens tokens, LinkRegistry links, TrackingBuffer buffer, TimeProvider time, CancellationToken ct)
    {
        if (tokens.Read(token, TokenPurpose.Click) is not { CampaignId: { } campaign, LinkId: { } linkId } read ||
            await links.FindAsync(linkId, ct) is not { } link || link.CampaignId != campaign)
            return Results.NotFound();
        buffer.Add(new TrackingHit(ActivityKind.Click, campaign, read.Id, linkId, false, time.GetUtcNow().UtcDateTime));
        return Results.Redirect(link.Url);
    }
}
