using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;
using NewsletterService.Security;

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

    /// <summary>
    /// The reader's own unsubscribe through a link token (a link, the one-click POST, a mailed unsubscribe): when the token
    /// names a campaign and the reader was subscribed, the campaign's report counts it. Returns how many readers it changed.
    /// </summary>
    public static async Task<int> UnsubscribeAsync(NewsletterDb db, LinkToken token, DateTime now, CancellationToken ct)
    {
        var changed = await UnsubscribeAsync(db.Subscribers.Where(s => s.Id == token.Id), now, ct);
        if (changed > 0 && token.CampaignId is { } campaign)
            await Tracking.ActivityLog.AddUnsubscribeAsync(db, campaign, token.Id, now, ct);
        return changed;
    }

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
        await DeleteAsync(db, id, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Deletes a subscriber (memberships go with them) and their opens and clicks; an unsubscribe stays counted in its campaign's
    /// report, without them. Returns how many subscribers it deleted.
    /// </summary>
    public static async Task<int> DeleteAsync(NewsletterDb db, long id, CancellationToken ct)
    {
        await db.Activities.Where(a => a.SubscriberId == id && a.Kind != Tracking.ActivityKind.Unsubscribe).ExecuteDeleteAsync(ct);
        await db.Activities.Where(a => a.SubscriberId == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.SubscriberId, (long?)null), ct);
        return await db.Subscribers.Where(s => s.Id == id).ExecuteDeleteAsync(ct);
    }
}
