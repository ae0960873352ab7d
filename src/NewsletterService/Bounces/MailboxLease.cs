using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;

namespace NewsletterService.Bounces;

/// <summary>
/// A lease in the database on one mailbox, so that of all processes only one reads it at a time (two would each act on a mail
/// before either moved it). A lease left by a dead process runs out after <see cref="Length"/>; a long read renews it as it
/// goes (<see cref="HeldLease"/>).
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

    /// <summary>Extends the lease <paramref name="holder"/> holds; false when another process has taken it over.</summary>
    public async Task<bool> RenewAsync(string mailbox, string holder, CancellationToken ct)
    {
        var until = time.GetUtcNow().UtcDateTime + Length;
        return await db.MailboxStates.Where(m => m.Name == mailbox && m.LeaseHolder == holder)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeasedUntil, until), ct) == 1;
    }

    /// <summary>The lease <paramref name="holder"/> has just acquired, to keep while reading.</summary>
    public HeldLease Held(string mailbox, string holder) => new(this, mailbox, holder, time);

    public Task ReleaseAsync(string mailbox, string holder, CancellationToken ct) =>
        db.MailboxStates.Where(m => m.Name == mailbox && m.LeaseHolder == holder)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseHolder, (string?)null).SetProperty(m => m.LeasedUntil, (DateTime?)null), ct);
}

/// <summary>
/// A lease this process holds while it reads the mailbox: renewed between mails once a quarter of <see cref="MailboxLease.Length"/>
/// has passed, so a long read keeps it; a read whose lease another process took over (it stalled past the lease) stops.
/// </summary>
public sealed class HeldLease(MailboxLease lease, string mailbox, string holder, TimeProvider time)
{
    private DateTimeOffset _renewedAt = time.GetUtcNow();

    public async Task KeepAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (now - _renewedAt < MailboxLease.Length / 4) return;
        if (!await lease.RenewAsync(mailbox, holder, ct))
            throw new InvalidOperationException($"Another process took over the lease on the mailbox {mailbox}; this read stopped.");
        _renewedAt = now;
    }
}
