using Microsoft.Extensions.Options;
using NewsletterService.Subscriptions;
using NewsletterService.Tracking;

namespace NewsletterService.Delivery;

/// <summary>
/// The sending pipeline's innermost step: one reader's mail, from their content to a result committed to the ledger.
/// Classifies SMTP failures by their reply: 5xx fails the delivery (a rejected recipient is a hard bounce), 4xx and
/// connection trouble defer it with back-off until <c>Delivery:MaxAttempts</c>.
/// </summary>
public sealed class ReaderSender(
    IMailSender sender, SendSlots slots, MessageFactory messages, MailTracking tracking, IOptions<DeliveryOptions> options,
    TimeProvider time)
{
    public async Task<DeliveryResult> SendAsync(CampaignTracking campaign, Recipient reader, CampaignContent? content,
        DeliveryLedger ledger, CancellationToken stopping)
    {
        if (reader.Email is null || reader.Status != SubscriberStatus.Confirmed || content is null)
        {
            var skipped = DeliveryResult.Skipped(reader.Email is null ? "subscriber deleted"
                : reader.Status != SubscriberStatus.Confirmed ? $"subscriber is {reader.Status}" : "nothing new for this reader");
            await ledger.RecordAsync(reader, skipped);
            return skipped;
        }
        var (email, values) = await tracking.ApplyAsync(campaign, reader.SubscriberId, reader.TrackingOff, content.Email,
            messages.RecipientLinks(reader.SubscriberId, reader.Name, campaign.CampaignId), stopping);
        // Disposed once sent: MimeKit's message and body have finalizers, which would otherwise keep every message for the
        // finalizer thread and through one more collection.
        using var message = messages.Create(content.Subject, email, reader.Email, values, campaign.CampaignId, reader.DeliveryId);
        // The slot's previous message may not be committed yet: this one goes out meanwhile, but ends only after it.
        var previous = await slots.TakeAsync(stopping);
        if (!EncodedBody.TryHoldEnd(message, previous)) await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var committed = previous;
        DeliveryResult result;
        try
        {
            result = await TrySendAsync(message, messages.EnvelopeSender(campaign.CampaignId, reader.DeliveryId), reader.Attempts, stopping);
            committed = ledger.RecordAsync(reader, result);
        }
        finally
        {
            slots.Return(committed); // before the commit: the slot's next message waits for it before it ends
        }
        await committed;
        return result;
    }

    private async Task<DeliveryResult> TrySendAsync(MimeKit.MimeMessage message, MimeKit.MailboxAddress envelopeSender, int attemptsBefore,
        CancellationToken stopping)
    {
        try
        {
            // Pause stops the wait for a connection or the rate limit; a message once started is finished.
            await sender.SendAsync(message, envelopeSender, stopping);
            return DeliveryResult.Sent;
        }
        catch (Exception e) when (SmtpFailure.TryClassify(e, out var failure))
        {
            if (failure.Permanent) return DeliveryResult.Failed(failure.ShortReason, failure.RecipientRejected, serverFault: false);
            var attempts = attemptsBefore + 1;
            var delivery = options.Value;
            return attempts >= delivery.MaxAttempts
                ? DeliveryResult.Failed($"gave up after {attempts} attempts: {failure.ShortReason}", bounce: false, failure.ServerFault)
                : DeliveryResult.Deferred(
                    failure.ShortReason, time.GetUtcNow().UtcDateTime + delivery.RetryDelayFor(attempts), failure.ServerFault);
        }
    }
}
