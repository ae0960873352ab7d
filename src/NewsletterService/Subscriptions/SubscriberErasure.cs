using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;

namespace NewsletterService.Subscriptions;

public static class SubscriberErasure
{
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
