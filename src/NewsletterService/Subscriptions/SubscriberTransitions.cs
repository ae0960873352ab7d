using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;

namespace NewsletterService.Subscriptions;

/// <summary>
/// Every change of a subscriber's state, with one set of guards. Only a subscribed reader (pending or confirmed) can
/// unsubscribe, bounce or complain; nothing but a new subscription confirmed by its owner brings an unsubscribed or
/// bounced reader back. Each change is one guarded UPDATE and returns how many readers it changed.
/// </summary>
public static class SubscriberTransitions
{
    /// <summary>The ledger's hard bounce, for its raw SQL (parameter <c>@id</c>): the same guard as <see cref="BounceAsync"/>.</summary>
    public const string BounceSql = $"""
        UPDATE "Subscribers" SET "Status" = '{nameof(SubscriberStatus.Bounced)}'
        WHERE "Id" = @id AND "Status" IN ('{nameof(SubscriberStatus.Pending)}', '{nameof(SubscriberStatus.Confirmed)}')
        """;

    private static IQueryable<Subscriber> Subscribed(IQueryable<Subscriber> who) =>
        who.Where(s => s.Status == SubscriberStatus.Pending || s.Status == SubscriberStatus.Confirmed);

    /// <summary>The reader's own unsubscribe, an editor's, or a complaint to the mail provider.</summary>
    public static Task<int> UnsubscribeAsync(IQueryable<Subscriber> who, DateTime now, CancellationToken ct) =>
        Subscribed(who).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Status, SubscriberStatus.Unsubscribed)
            .SetProperty(x => x.UnsubscribedAt, now), ct);

    /// <summary>A hard bounce: the address does not take mail.</summary>
    public static Task<int> BounceAsync(IQueryable<Subscriber> who, CancellationToken ct) =>
        Subscribed(who).ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SubscriberStatus.Bounced), ct);

    /// <summary>A subscription asked for: anyone but a confirmed reader (left as is: false) becomes pending. The caller saves.</summary>
    public static bool Subscribe(Subscriber subscriber)
    {
        if (subscriber.Status == SubscriberStatus.Confirmed) return false;
        subscriber.Status = SubscriberStatus.Pending;
        return true;
    }

    /// <summary>
    /// The owner followed the confirmation link: a pending reader becomes confirmed and the address leaves the
    /// suppression list. Returns false when the reader was not pending (nothing changes).
    /// </summary>
    public static async Task<bool> ConfirmAsync(NewsletterDb db, Subscriber subscriber, DateTime now, CancellationToken ct)
    {
        if (subscriber.Status != SubscriberStatus.Pending) return false;
        subscriber.Status = SubscriberStatus.Confirmed;
        subscriber.ConfirmedAt = now;
        subscriber.UnsubscribedAt = null;
        subscriber.ConfirmationRequestedAt = null; // answered by the owner: a later re-subscribe may mail again at once
        await db.SaveChangesAsync(ct);
        var hash = Suppression.HashOf(subscriber.EmailKey);
        await db.Suppressions.Where(s => s.EmailHash == hash).ExecuteDeleteAsync(ct);
        return true;
    }

    /// <summary>
    /// Erases a subscriber (memberships go with them) and keeps the address only as a hash on the suppression list, so
    /// no import can add it back silently. Returns false when there was no such subscriber.
    /// </summary>
    public static async Task<bool> EraseAndSuppressAsync(NewsletterDb db, long id, DateTime now, CancellationToken ct)
    {
        if (await db.Subscribers.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct) is not { } subscriber) return false;
        var hash = Suppression.HashOf(subscriber.EmailKey);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await db.Suppressions.AnyAsync(s => s.EmailHash == hash, ct))
            db.Suppressions.Add(new Suppression { EmailHash = hash, CreatedAt = now });
        await db.SaveChangesAsync(ct);
        // The ledger keeps only ids; SMTP replies stored with it may quote the address.
        await db.Deliveries.Where(d => d.SubscriberId == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.Error, (string?)null), ct);
        await db.Subscribers.Where(s => s.Id == id).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }
}
