using NewsletterService.Security;

namespace NewsletterService.Tracking;

/// <summary>
/// <c>GET /o/{token}</c> (the open pixel: a 1×1 GIF) and <c>GET /r/{token}</c> (a tracked link: 302 to the address the token's
/// link names). Both answer from memory, hand the hit to the <see cref="TrackingBuffer"/> and are limited per client address.
/// A token that is not a valid signed one, or names a link of another campaign, gets 404 and never a redirect.
/// </summary>
public static class TrackingEndpoints
{
    public const string RateLimitPolicy = "tracking";

    /// <summary>A transparent 1×1 GIF.</summary>
    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public static WebApplication MapTracking(this WebApplication app)
    {
        app.MapGet("/o/{token}", Open).RequireRateLimiting(RateLimitPolicy);
        app.MapGet("/r/{token}", ClickAsync).RequireRateLimiting(RateLimitPolicy);
        return app;
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
