using System.Globalization;

namespace NewsletterService.Subscriptions;

/// <summary>
/// Who receives what, written once: confirmed readers (<see cref="Readers"/>) of a cadence, and of those, for an article
/// or a campaign addressed to lists, only the lists' members; addressed to no list, everyone (<see cref="OnListsOf"/>).
/// The SQL forms are conditions on a subscriber aliased <c>s</c>, for set-based ledger writes that load nobody into memory.
/// </summary>
public static class Audience
{
    public static IQueryable<Subscriber> Readers(IQueryable<Subscriber> subscribers) =>
        subscribers.Where(s => s.Status == SubscriberStatus.Confirmed);

    public const string ReadersSql = $"""s."Status" = '{nameof(SubscriberStatus.Confirmed)}'""";

    /// <summary>
    /// SQL: <c>s</c> is a reader who takes each article as it comes. Readers on a daily or weekly digest are left out:
    /// they get the article in their digest. An article campaign's ledger and its audience count both use this.
    /// </summary>
    public const string ArticleReadersSql = $"""{ReadersSql} AND s."Cadence" = '{nameof(Cadence.Immediate)}'""";

    /// <summary>
    /// SQL: <c>s</c> is on one of the lists that <paramref name="linkTable"/> links to <paramref name="owner"/>, or it links none.
    /// </summary>
    public static string OnListsOf(string linkTable, string ownerColumn, string owner) =>
        OnListsIn($"""SELECT l."ListId" FROM "{linkTable}" AS l WHERE l."{ownerColumn}" = {owner}""");

    /// <summary>SQL: <c>s</c> is on one of these lists, or none is given (lists not stored yet: an audience counted beforehand).</summary>
    public static string OnListsIn(IReadOnlyCollection<long> listIds)
    {
        var ids = string.Join(", ", listIds.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        return OnListsIn(ids.Length == 0
            ? """SELECT l."Id" FROM "Lists" AS l WHERE 1 = 0"""
            : $"""SELECT l."Id" FROM "Lists" AS l WHERE l."Id" IN ({ids})""");
    }

    /// <summary>SQL: <c>s</c> is on one of the lists <paramref name="listIds"/> (a query of list ids) gives, or it gives none.</summary>
    private static string OnListsIn(string listIds) => $"""
        (NOT EXISTS ({listIds})
         OR EXISTS (SELECT 1 FROM "ListMembers" AS m WHERE m."SubscriberId" = s."Id" AND m."ListId" IN ({listIds})))
        """;
}
