using Microsoft.Extensions.Options;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Security;

namespace NewsletterService.Subscriptions;

/// <summary>
/// <c>GET /unsubscribe/{token}</c> only shows a button (mail scanners follow links); <c>POST</c> unsubscribes, also as the
/// RFC 8058 one-click POST (<c>List-Unsubscribe=One-Click</c>) that mailbox providers send without cookies or antiforgery
/// token: the signed token in the URL is what proves the request.
/// </summary>
public static class UnsubscribePages
{
    public static RouteGroupBuilder MapUnsubscribePages(this RouteGroupBuilder pages)
    {
        pages.MapGet("/unsubscribe/{token}", (string token, LinkTokens tokens, IOptions<NewsletterOptions> newsletter) =>
            !tokens.TryRead(token, TokenPurpose.Unsubscribe, out _)
                ? SubscriptionsApi.InvalidLink()
                : PublicPage.Show<UnsubscribePage>(new { Token = token, Newsletter = newsletter.Value.FromName }));
        pages.MapPost("/unsubscribe/{token}", UnsubscribeAsync)
            .DisableAntiforgery()
            .RequireRateLimiting(SubscriptionsRegistration.LinkPolicy);
        return pages;
    }

    private static async Task<IResult> UnsubscribeAsync(
        string token, LinkTokens tokens, NewsletterDb db, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        if (tokens.Read(token, TokenPurpose.Unsubscribe) is not { } read) return SubscriptionsApi.InvalidLink();
        if (await SubscriberTransitions.UnsubscribeAsync(db, read, time.GetUtcNow().UtcDateTime, ct) > 0)
            logs.CreateLogger(typeof(UnsubscribePages)).LogInformation(
                "Subscriber {SubscriberId} unsubscribed (campaign {CampaignId})", read.Id, read.CampaignId);
        return PublicPage.Show<SubscribeAgainPage>(
            new { Title = "You are unsubscribed", Text = "You will receive no more mail from us. If you change your mind, you can" });
    }
}
