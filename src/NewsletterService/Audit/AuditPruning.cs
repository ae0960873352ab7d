using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsletterService.Data;

namespace NewsletterService.Audit;

/// <summary>
/// The daily job <c>audit-prune</c>: deletes entries older than <c>Audit:Retention</c>. Running it twice deletes nothing more.
/// </summary>
public sealed class AuditPruning(NewsletterDb db, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditPruning> log)
{
    public const string RecurringJobId = "audit-prune";

    public async Task<int> PruneAsync(CancellationToken ct)
    {
        var before = time.GetUtcNow().UtcDateTime - options.Value.Retention;
        var deleted = await db.AuditEntries.Where(e => e.At < before).ExecuteDeleteAsync(ct);
        log.LogInformation("Audit log pruned: {Deleted} entries from before {Before} deleted", deleted, before);
        return deleted;
    }
}
