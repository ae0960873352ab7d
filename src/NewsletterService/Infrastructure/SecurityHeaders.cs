namespace NewsletterService.Infrastructure;

/// <summary>
/// The security headers of every response, set in one place just before the headers go out (so error pages, status-code
/// pages and rate-limit answers get them too): a Content-Security-Policy per part of the site, <c>nosniff</c>, a
/// Referrer-Policy and no framing. An endpoint that shows a mail inside one of our own pages says so with <see cref="ShownInOwnFrame"/>.
/// </summary>
public static class SecurityHeaders
{
    public sealed record Policy(string ContentSecurityPolicy, string ReferrerPolicy, string FrameOptions = "DENY", bool NoStore = false);

    /// <summary>
    /// Reader pages (subscribe, confirm, unsubscribe, preferences, articles, error pages, dev inbox): no script at all.
    /// Styles may be inline (the article page is an email template, styled with <c>style</c> attributes) and images come
    /// from wherever an article links them (http or https only). Links carry tokens, so no Referer and no caching.
    /// </summary>
    public static readonly Policy Public = new(
        "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' https: http:; object-src 'none'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'", "no-referrer", NoStore: true);

    /// <summary>
    /// The dashboard: scripts, styles and frames from its own origin only (dashboard.js, dashboard.css, the mail preview).
    /// </summary>
    public static readonly Policy Dashboard = new(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'", "same-origin");

    /// <summary>
    /// Hangfire's dashboard (checked in Chromium against Hangfire 1.8): its scripts and styles come from itself; the one
    /// inline style is the <c>&lt;style&gt;</c> its bundled Chart.js inserts (allowed by its hash), its favicon a data: URL.
    /// </summary>
    public static readonly Policy Jobs = new(
        "default-src 'self'; script-src 'self'; style-src 'self' 'sha256-z7zcnw/4WalZqx+PrNaRnoeLz/G9WXuFqV1WCJ129sg='; " +
        "img-src 'self' data:; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'", "same-origin");

    /// <summary>The JSON API: nothing to run, nothing to frame.</summary>
    public static readonly Policy Api = new("default-src 'none'; frame-ancestors 'none'", "no-referrer");

    /// <summary>
    /// A rendered mail shown in a sandboxed iframe of our own page (dashboard preview, dev inbox): no script, its own origin may frame it.
    /// </summary>
    public static readonly Policy MailInFrame = new(
        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src * data:; frame-ancestors 'self'", "no-referrer", "SAMEORIGIN");

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            var policy = For(http); // chosen now: Hangfire's own pipeline later moves "/hangfire" into PathBase
            http.Response.OnStarting(() =>
            {
                Apply(http.Response.Headers, policy);
                return Task.CompletedTask;
            });
            return next(http);
        });
        return app;
    }

    /// <summary>The endpoint answers a mail that our own pages show in a sandboxed iframe.</summary>
    public static TBuilder ShownInOwnFrame<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(MailInFrame);

    private static Policy For(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<Policy>() is { } own) return own;
        var path = http.Request.Path;
        return path.StartsWithSegments("/api") ? Api
            : path.StartsWithSegments("/admin") ? Dashboard
            : path.StartsWithSegments("/hangfire") ? Jobs
            : Public;
    }

    /// <summary>Sets <paramref name="policy"/>'s headers (for endpoints that answer before the middleware runs).</summary>
    public static void Apply(IHeaderDictionary headers, Policy policy)
    {
        headers.ContentSecurityPolicy = policy.ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = policy.FrameOptions;
        headers["Referrer-Policy"] = policy.ReferrerPolicy;
        if (policy.NoStore) headers.CacheControl = "no-store";
    }
}
