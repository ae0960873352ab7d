using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using NewsletterService.Data;
using NewsletterService.Delivery;
using NewsletterService.Infrastructure;
using NewsletterService.Security;
using NewsletterService.Subscriptions;

namespace NewsletterService.Bounces;

/// <summary>
/// Reads every mail of one open mailbox and acts on it exactly once: what a mail changes and its <see cref="ProcessedMessage"/>
/// row are committed in one transaction, and only then is the mail moved or deleted. A mail read again (the process died in
/// between) is found by its Message-ID and only moved.
/// </summary>
public sealed class MailboxProcessor(
    NewsletterDb db, BounceRecorder recorder, LinkTokens tokens, IOptions<NewsletterOptions> newsletter, TimeProvider time,
    ILogger<MailboxProcessor> log)
{
    /// <summary>
    /// Returns how many mails were acted on (not those read again or left for a human). With <paramref name="lease"/>, the lease
    /// is kept before each mail, and the read stops before the next mail when another process has taken it over.
    /// </summary>
    public async Task<int> ProcessAsync(string mailbox, IMailboxReader reader, CancellationToken ct, HeldLease? lease = null)
    {
        var acted = 0;
        foreach (var id in await reader.ListAsync(ct))
        {
            if (lease is not null) await lease.KeepAsync(ct);
            var message = await reader.ReadAsync(id, ct);
            var key = Key(message);
            var handled = await db.ProcessedMessages.AnyAsync(p => p.Mailbox == mailbox && p.MessageId == key, ct);
            if (!handled)
            {
                var kind = await ApplyAsync(mailbox, key, message, ct);
                handled = kind is MailKind.HardBounce or MailKind.SoftBounce or MailKind.Complaint or MailKind.Unsubscribe;
                if (handled) acted++;
                log.LogInformation("Mailbox {Mailbox}: {MessageId} is {Kind}", mailbox, key, kind);
            }
            await reader.FinishAsync(id, handled, ct);
        }
        return acted;
    }

    private async Task<MailKind> ApplyAsync(string mailbox, string key, MimeMessage message, CancellationToken ct)
    {
        var outcome = MailParser.Parse(message, newsletter.Value.BounceDomain);
        if (outcome.Kind is MailKind.Ignored or MailKind.Unmatched) return outcome.Kind;
        db.ChangeTracker.Clear();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var kind = outcome.Kind == MailKind.Unsubscribe ? await UnsubscribeAsync(outcome, ct) : await RecordAsync(outcome, ct);
        if (kind == MailKind.Unmatched) return kind; // the transaction rolls back; nothing was written
        db.ProcessedMessages.Add(new ProcessedMessage
        {
            Mailbox = mailbox, MessageId = key, Kind = kind, ProcessedAt = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return kind;
    }

    /// <summary>The token decides, never the sender: the same check as the one-click unsubscribe link.</summary>
    private async Task<MailKind> UnsubscribeAsync(MailOutcome outcome, CancellationToken ct)
    {
        foreach (var token in outcome.Tokens)
        {
            if (tokens.Read(token, TokenPurpose.Unsubscribe) is not { } read) continue;
            if (await SubscriberTransitions.UnsubscribeAsync(db, read, time.GetUtcNow().UtcDateTime, ct) > 0)
                log.LogInformation("Subscriber {SubscriberId} unsubscribed by mail (campaign {CampaignId})", read.Id, read.CampaignId);
            return MailKind.Unsubscribe;
        }
        return MailKind.Unmatched;
    }

    /// <summary>
    /// A bounce or complaint about the delivery its VERP address names; else about the delivery the returned original's
    /// Message-ID names, when it went to the recipient the report names; else about that reader (and their last delivery);
    /// about nobody we know: unmatched.
    /// </summary>
    private async Task<MailKind> RecordAsync(MailOutcome outcome, CancellationToken ct)
    {
        var delivery = outcome.DeliveryId is { } deliveryId
            ? await db.Deliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId && d.CampaignId == outcome.CampaignId, ct)
            : null;
        var subscriberId = delivery?.SubscriberId;
        var recipients = new[] { outcome.Recipient, outcome.OriginalRecipient }
            .Select(r => EmailAddress.TryParse(r, out var address, out _) ? address.Key : null).OfType<string>().Distinct().ToList();
        if (delivery is null && CampaignMessageId.TryRead(outcome.OriginalMessageId, out var campaignId, out var namedId))
        {
            delivery = await db.Deliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == namedId && d.CampaignId == campaignId
                && db.Subscribers.Any(s => s.Id == d.SubscriberId && recipients.Contains(s.EmailKey)), ct);
            subscriberId = delivery?.SubscriberId;
        }
        for (var i = 0; delivery is null && subscriberId is null && i < recipients.Count; i++)
        {
            var key = recipients[i];
            subscriberId = await db.Subscribers.Where(s => s.EmailKey == key).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
            delivery = await db.Deliveries.AsNoTracking().Where(d => d.SubscriberId == subscriberId && d.Status == DeliveryStatus.Sent)
                .OrderByDescending(d => d.SentAt).FirstOrDefaultAsync(ct);
        }
        var email = await db.Subscribers.Where(s => s.Id == subscriberId).Select(s => s.EmailKey).FirstOrDefaultAsync(ct);
        if (email is null) return MailKind.Unmatched;
        await recorder.RecordAsync(new BounceEvent
        {
            CampaignId = delivery?.CampaignId, DeliveryId = delivery?.Id, SubscriberId = subscriberId, Email = email,
            Source = BounceSource.Mailbox, Status = outcome.Status, Diagnostic = outcome.Diagnostic,
            Kind = outcome.Kind switch
            {
                MailKind.Complaint => BounceKind.Complaint,
                MailKind.HardBounce => BounceKind.Hard,
                _ => BounceKind.Soft,
            },
        }, ct);
        return outcome.Kind;
    }

    /// <summary>The mail's Message-ID, or for a mail without one a hash of its headers.</summary>
    public static string Key(MimeMessage message) => message.MessageId is { Length: > 0 and <= 500 } id
        ? id
        : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", message.Headers))));
}
