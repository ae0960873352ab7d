using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;
using NewsletterService.Subscriptions;
using AudienceRule = NewsletterService.Subscriptions.Audience;

namespace NewsletterService.Campaigns;

/// <summary>
/// Who an article campaign reaches if it starts now, counted with the rule its ledger is written with
/// (<see cref="AudienceRule.ArticleReadersSql"/>): in all, per chosen list (none chosen: everyone), and who is left out and why.
/// </summary>
public sealed record CampaignAudience(int Audience, IReadOnlyList<CampaignAudience.ListAudience> ByList, CampaignAudience.LeftOut Excluded)
{
    /// <summary>How many of a chosen list's members get the campaign.</summary>
    public sealed record ListAudience(string Slug, string Name, int Audience);

    /// <summary>
    /// Subscribers the campaign's lists (or, with none, all subscribers) hold who do not get it: <see cref="Digest"/>,
    /// confirmed readers of a daily or weekly digest (the article reaches them in their digest); the others by status.
    /// </summary>
    public sealed record LeftOut(int Digest, int Pending, int Unsubscribed, int Bounced);

    public static async Task<CampaignAudience> CountAsync(NewsletterDb db, IReadOnlyList<MailingList> lists, CancellationToken ct)
    {
        var listIds = lists.Select(l => l.Id).ToList();
        var audience = await ReadersAsync(db, listIds, ct);
        var byList = new List<ListAudience>();
        foreach (var list in lists) byList.Add(new ListAudience(list.Slug, list.Name, await ReadersAsync(db, [list.Id], ct)));
        var leftOut = $"""
            SELECT s."Status" AS "Status", COUNT(*) AS "Count" FROM "Subscribers" AS s
            WHERE {AudienceRule.OnListsIn(listIds)} AND NOT ({AudienceRule.ArticleReadersSql}) GROUP BY s."Status"
            """; // only constants spliced in: the rule, and list ids read from the database
        var left = await db.Database.SqlQueryRaw<StatusCount>(leftOut)
            .ToDictionaryAsync(x => Enum.Parse<SubscriberStatus>(x.Status), x => (int)x.Count, ct);
        int Of(SubscriberStatus status) => left.GetValueOrDefault(status);
        return new CampaignAudience(audience, byList, new LeftOut(
            Of(SubscriberStatus.Confirmed), Of(SubscriberStatus.Pending), Of(SubscriberStatus.Unsubscribed), Of(SubscriberStatus.Bounced)));
    }

    /// <summary>How many readers a stored campaign would reach if it started now.</summary>
    public static async Task<int> OfCampaignAsync(NewsletterDb db, long campaignId, CancellationToken ct) =>
        await ReadersAsync(db, await db.CampaignLists.Where(x => x.CampaignId == campaignId).Select(x => x.ListId).ToListAsync(ct), ct);

    /// <summary>Readers on one of the lists (none: everyone) who would get an article campaign now.</summary>
    private static async Task<int> ReadersAsync(NewsletterDb db, IReadOnlyCollection<long> listIds, CancellationToken ct)
    {
        var readers = $"""
            SELECT COUNT(*) AS "Value" FROM "Subscribers" AS s WHERE {AudienceRule.ArticleReadersSql} AND {AudienceRule.OnListsIn(listIds)}
            """; // only constants spliced in: the rule, and list ids read from the database
        return (int)(await db.Database.SqlQueryRaw<long>(readers).ToListAsync(ct)).Single();
    }

    private sealed class StatusCount
    {
        public string Status { get; set; } = "";
        public long Count { get; set; }
    }
}
