using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;

namespace NewsletterService.Bounces;

/// <summary>
/// A lease in the database on one mailbox, so that of all processes only one reads it at a time (two would each act on a mail
/// before either moved it). A lease left by a dead process runs out after <see cref="Length"/>.
/// </summary>
public sealed class MailboxLease(NewsletterDb db, TimeProvider time)
{
    public static readonly TimeSpan Length = TimeSpan.FromMinutes(10);

    public async Task<bool> TryAcquireAsync(string mailbox, string holder, CancellationToken ct)
    {
        if (!await db.MailboxStates.AnyAsync(m => m.Name == mailbox, ct))
        {
            db.MailboxStates.Add(new MailboxState { Name = mailbox });
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateException) { } // another process added it first
            db.ChangeTracker.Clear();
        }
        var now = time.GetUtcNow().UtcDateTime;
        return await db.MailboxStates.Where(m => m.Name == mailbox && (m.LeasedUntil == null || m.LeasedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseHolder, holder).SetProperty(m => m.LeasedUntil, now + Length), ct) == 1;
    }

    public Task ReleaseAsync(string mailbox, string holder, CancellationToken ct) =>
        db.MailboxStates.Where(m => m.Name == mailbox && m.LeaseHolder == holder)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseHolder, (string?)null).SetProperty(m => m.LeasedUntil, (DateTime?)null), ct);
}
