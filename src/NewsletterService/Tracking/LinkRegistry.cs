using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;

namespace NewsletterService.Tracking;

/// <summary>
/// The <see cref="TrackedLink"/> rows behind click tokens: made when a campaign's mail first carries a link, read when a
/// token is followed. Both directions are kept in memory (links never change), so a redirect needs the database once per link
/// and process at most.
/// </summary>
public sealed class LinkRegistry(IDbContextFactory<NewsletterDb> dbs)
{
    private readonly ConcurrentDictionary<(long Campaign, string Url), long> _ids = new();
    private readonly ConcurrentDictionary<long, TrackedLink> _links = new();

    /// <summary>The ids of a campaign's links, in order; made where missing (writing one twice finds the first).</summary>
    public async Task<long[]> IdsAsync(long campaignId, IReadOnlyList<string> urls, CancellationToken ct)
    {
        var ids = new long[urls.Count];
        NewsletterDb? db = null;
        try
        {
            for (var i = 0; i < urls.Count; i++)
            {
                if (_ids.TryGetValue((campaignId, urls[i]), out ids[i])) continue;
                db ??= await dbs.CreateDbContextAsync(ct);
                await db.Database.ExecuteSqlRawAsync(
                    """INSERT INTO "TrackedLinks" ("CampaignId", "Url") VALUES ({0}, {1}) ON CONFLICT ("CampaignId", "Url") DO NOTHING""",
                    [campaignId, urls[i]], ct);
                var url = urls[i];
                ids[i] = _ids[(campaignId, url)] = await db.TrackedLinks.Where(l => l.CampaignId == campaignId && l.Url == url)
                    .Select(l => l.Id).SingleAsync(ct);
            }
            return ids;
        }
        finally
        {
            if (db is not null) await db.DisposeAsync();
        }
    }

    /// <summary>The link a click token names, or null when there is none.</summary>
    public async ValueTask<TrackedLink?> FindAsync(long id, CancellationToken ct)
    {
        if (_links.TryGetValue(id, out var link)) return link;
        await using var db = await dbs.CreateDbContextAsync(ct);
        link = await db.TrackedLinks.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, ct);
        return link is null ? null : _links.GetOrAdd(id, link);
    }
}
