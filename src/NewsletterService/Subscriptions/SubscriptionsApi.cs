using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Data;
using NewsletterService.Infrastructure;
using NewsletterService.Security;

namespace NewsletterService.Subscriptions;

/// <summary>The public side of subscribing: the JSON API, the subscribe form and the confirm link.</summary>
public static class SubscriptionsApi
{
    private const string AcceptedMessage =
        "Thank you. If this address can be subscribed, a confirmation email is on its way: " +
        "follow its link to start receiving the newsletter.";

    /// <summary>The one answer to every valid subscribe request, whether the address is new, pending, confirmed or unsubscribed.</summary>
    private static readonly object Accepted = new { status = "accepted", message = AcceptedMessage };

    public static WebApplication MapSubscriptions(this WebApplication app)
    {
        var limits = app.Services.GetRequiredService<IOptions<SubscriptionOptions>>().Value;
        var pages = app.MapGroup("").WithMetadata(new RequestSizeLimitAttribute(limits.MaxBodyBytes));
        pages.MapPost("/api/subscriptions", SubscribeJsonAsync).RequireRateLimiting(SubscriptionsRegistration.SubscribePolicy);
        pages.MapGet("/subscribe", async (NewsletterDb db, IOptions<NewsletterOptions> newsletter, CancellationToken ct) =>
            FormPage(newsletter.Value, await SubscriptionChoices.ListsBySlugAsync(db, ct), new SubscribeRequest(), []));
        pages.MapPost("/subscribe", SubscribeFormAsync).RequireRateLimiting(SubscriptionsRegistration.SubscribePolicy);
        pages.MapGet("/confirm/{token}", ConfirmAsync);
        pages.MapUnsubscribePages();
        pages.MapPreferencePages();
        return app;
    }

    private static async Task<IResult> SubscribeJsonAsync(SubscribeRequest? request, Subscribe subscribe, CancellationToken ct)
    {
        var errors = await subscribe.RequestAsync(request ?? new SubscribeRequest(), ct);
        return errors.Count > 0 ? Problems.Invalid(errors) : Results.Json(Accepted, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> SubscribeFormAsync(
        [FromForm] SubscribeRequest form, Subscribe subscribe, NewsletterDb db, IOptions<NewsletterOptions> newsletter,
        CancellationToken ct)
    {
        var errors = await subscribe.RequestAsync(form, ct);
        if (errors.Count > 0) return FormPage(newsletter.Value, await SubscriptionChoices.ListsBySlugAsync(db, ct), form, errors);
        return PublicPage.Show("Check your inbox", AcceptedMessage, StatusCodes.Status202Accepted);
    }

    private static IResult FormPage(
        NewsletterOptions newsletter, Dictionary<string, MailingList> lists, SubscribeRequest form, Dictionary<string, string[]> errors)
    {
        SubscriptionChoices.TryParseCadence(form.Cadence, out var cadence, out _);
        return PublicPage.Show<SubscribePage>(
            new { Newsletter = newsletter.FromName, Lists = lists.Values, Form = form, Errors = errors, Cadence = cadence },
            errors.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> ConfirmAsync(
        string token, LinkTokens tokens, NewsletterDb db, TimeProvider time, IOptions<NewsletterOptions> newsletter, ILoggerFactory logs,
        CancellationToken ct)
    {
        if (!tokens.TryRead(token, TokenPurpose.Confirm, out var id) ||
            await db.Subscribers.FirstOrDefaultAsync(s => s.Id == id, ct)
                is not { Status: SubscriberStatus.Pending or SubscriberStatus.Confirmed } subscriber)
            return InvalidLink();
        // The owner came back by their own hand: the address is no longer suppressed.
        if (await SubscriberTransitions.ConfirmAsync(db, subscriber, time.GetUtcNow().UtcDateTime, ct))
            logs.CreateLogger(typeof(SubscriptionsApi)).LogInformation("Subscriber {SubscriberId} confirmed", id);
        return PublicPage.Show<ConfirmedPage>(
            new
            {
                subscriber.Email, Newsletter = newsletter.Value.FromName, PreferencesToken = tokens.Create(TokenPurpose.Preferences, id),
            });
    }

    /// <summary>The page for a link that is tampered with, expired, meant for something else, or whose subscriber is gone.</summary>
    public static IResult InvalidLink() => PublicPage.Show<SubscribeAgainPage>(
        new { Title = "This link does not work", Text = "The link is incomplete, has expired, or is no longer valid. You can" },
        StatusCodes.Status400BadRequest);
}
