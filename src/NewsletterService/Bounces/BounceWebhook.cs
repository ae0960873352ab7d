using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Subscriptions;

namespace NewsletterService.Bounces;

/// <summary>
/// <c>POST /api/webhooks/bounces</c>: asynchronous bounces and complaints reported by the mail provider, applied by
/// <see cref="BounceRecorder"/> (hard: bounced; complaint: unsubscribed at once; soft: counted).
/// Posts are limited per client address (<c>Webhooks:BouncePostsPerMinute</c>); a wrong secret is logged as a warning, without the body.
/// </summary>
public static class BounceWebhook
{
    public const string SecretHeader = "X-Webhook-Secret";
    public const string RateLimitPolicy = "bounce-webhook";

    public sealed record BounceReport(string? Email, string? Type, string? Reason);

    public static WebApplication MapBounceWebhook(this WebApplication app)
    {
        app.MapPost("/api/webhooks/bounces", ReceiveAsync).RequireRateLimiting(RateLimitPolicy);
        return app;
    }

    private static async Task<IResult> ReceiveAsync(
        HttpRequest request, BounceReport? report, IOptions<WebhooksOptions> options, NewsletterDb db, BounceRecorder recorder,
        ILoggerFactory logs, CancellationToken ct)
    {
        var log = logs.CreateLogger(typeof(BounceWebhook));
        if (options.Value.BounceSecret is not { Length: > 0 } secret) return Problems.NotFound("The bounce webhook is not configured.");
        if (!CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(request.Headers[SecretHeader].ToString()), Encoding.UTF8.GetBytes(secret)))
        {
            log.LogWarning("Bounce webhook: refused a post from {Client} without the right {Header}",
                request.HttpContext.Connection.RemoteIpAddress, SecretHeader);
            return Results.Problem(statusCode: 401,
                detail: $"Send the shared secret (Webhooks:BounceSecret) in the {SecretHeader} header.");
        }
        if (!EmailAddress.TryParse(report?.Email, out var address, out var error)) return Problems.Invalid("email", error);
        var type = report!.Type?.Trim().ToLowerInvariant();
        if (type is not ("hard" or "soft" or "complaint")) return Problems.Invalid("type", "type must be 'hard', 'soft' or 'complaint'.");

        var subscriber = db.Subscribers.Where(s => s.EmailKey == address.Key);
        var changed = await recorder.RecordAsync(new BounceEvent
        {
            Email = address.Key, SubscriberId = await subscriber.Select(s => (long?)s.Id).FirstOrDefaultAsync(ct),
            Source = BounceSource.Webhook,
            Kind = type switch { "complaint" => BounceKind.Complaint, "hard" => BounceKind.Hard, _ => BounceKind.Soft },
            Diagnostic = report.Reason,
        }, ct);
        log.LogInformation("Bounce webhook: {Type} for {Email} ({Reason}); subscriber changed: {Changed}",
            type, address.Key, report.Reason, changed > 0);
        var status = await subscriber.Select(s => (SubscriberStatus?)s.Status).FirstOrDefaultAsync(ct);
        return Results.Ok(new { email = address.Display, type, known = status is not null, status });
    }
}
