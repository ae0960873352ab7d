using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Data;
using NewsletterService.Delivery;
using NewsletterService.Subscriptions;

namespace NewsletterService.Bounces;

/// <summary>
/// What a bounce or complaint does, whoever reported it (the webhook, a mail in the bounce mailbox): it is kept as a
/// <see cref="BounceEvent"/>; a complaint unsubscribes the reader at once; a hard bounce marks them bounced and fails the
/// delivery it names; soft bounces are counted, and <c>Bounces:SoftLimit</c> of them within <c>Bounces:SoftWindow</c> make a hard one.
/// </summary>
public sealed class BounceRecorder(NewsletterDb db, IOptions<BounceOptions> options, TimeProvider time)
{
    /// <summary>Saves the event and applies it; returns how many readers changed state (0 or 1).</summary>
    public async Task<int> RecordAsync(BounceEvent report, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        report.At = now;
        report.Diagnostic = report.Diagnostic is { Length: > 1000 } longText ? longText[..1000] : report.Diagnostic;
        db.BounceEvents.Add(report);
        await db.SaveChangesAsync(ct);
        if (report.DeliveryId is { } deliveryId && report.Kind == BounceKind.Hard)
        {
            var error = $"Bounced after it was accepted: {report.Status} {report.Diagnostic}".Trim();
            await db.Deliveries.Where(d => d.Id == deliveryId && d.Status == DeliveryStatus.Sent).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.Failed)
                .SetProperty(d => d.Error, error.Length > 1000 ? error[..1000] : error), ct);
        }
        if (report.SubscriberId is not { } id) return 0;
        var reader = db.Subscribers.Where(s => s.Id == id);
        return report.Kind switch
        {
            BounceKind.Complaint => await SubscriberTransitions.UnsubscribeAsync(reader, now, ct),
            BounceKind.Hard => await SubscriberTransitions.BounceAsync(reader, ct),
            _ => await SoftBouncesAsync(id, now, ct) >= options.Value.SoftLimit ? await SubscriberTransitions.BounceAsync(reader, ct) : 0,
        };
    }

    private Task<int> SoftBouncesAsync(long subscriberId, DateTime now, CancellationToken ct)
    {
        var since = now - options.Value.SoftWindow;
        return db.BounceEvents.CountAsync(e => e.SubscriberId == subscriberId && e.Kind == BounceKind.Soft && e.At >= since, ct);
    }
}
