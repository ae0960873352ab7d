using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Data;
using NewsletterService.Delivery;
using NewsletterService.Infrastructure;
using NewsletterService.Rendering;
using NewsletterService.Security;

namespace NewsletterService.Subscriptions;

/// <summary>
/// Sends a pending subscriber the mail with their confirm link. Safe to run twice: it sends only while the subscriber
/// is pending and the last request has not been answered yet.
/// </summary>
public sealed class ConfirmationMailJob(
    IDbContextFactory<NewsletterDb> dbs, EmailComposer composer, MessageFactory messages, IMailSender sender, LinkTokens tokens,
    IOptions<NewsletterOptions> newsletterOptions, IOptions<SubscriptionOptions> options, ILogger<ConfirmationMailJob> log)
{
    [Queue("critical"), AutomaticRetry(Attempts = 5)]
    public async Task SendAsync(long subscriberId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var subscriber = await db.Subscribers.AsNoTracking().FirstOrDefaultAsync(s => s.Id == subscriberId, ct);
        if (subscriber is not { Status: SubscriberStatus.Pending, ConfirmationRequestedAt: { } requested } ||
            subscriber.ConfirmationSentFor >= requested) return;

        var newsletter = newsletterOptions.Value;
        var lifetime = options.Value.ConfirmationLifetime;
        var body = await composer.ComposeAsync("Confirmation", new ConfirmationEmail
        {
            NewsletterName = newsletter.FromName,
            BaseUrl = newsletter.BaseUrl,
            Preheader = "One click to confirm your subscription.",
            RecipientName = subscriber.Name,
            ConfirmUrl = newsletter.PublicUrl("/confirm/" + tokens.Create(TokenPurpose.Confirm, subscriber.Id, lifetime)),
            ValidFor = lifetime,
        }, ct);
        var message = messages.Create(
            $"Please confirm your subscription to {newsletter.FromName}", body, subscriber.Email, subscriber.Name);
        try
        {
            await sender.SendAsync(message, messages.Sender, ct);
        }
        catch (Exception e) when (SmtpFailure.TryClassify(e, out var failure) && failure.Permanent)
        {
            log.LogWarning("Confirmation mail to subscriber {SubscriberId} refused: {Reason}", subscriberId, failure.ShortReason);
        }
        await db.Subscribers.Where(s => s.Id == subscriberId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ConfirmationSentFor, requested), ct);
    }
}
