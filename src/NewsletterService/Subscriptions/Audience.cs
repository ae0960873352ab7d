namespace NewsletterService.Subscriptions;

/// <summary>
/// Who receives what, written once: confirmed readers (<see cref="Readers"/>) of a cadence, and of those, for an article
/// or a campaign addressed to lists, only the lists' members; addressed to no list, everyone (<see cref="OnListsOf"/>).
/// The SQL forms are conditions on a subscriber aliased <c>s</c>, for set-based ledger writes that load nobody into memory.
/// </summary>
public static class Audience
{
    public static IQueryable<Subscriber> Readers(IQueryable<Subscriber> subscribers) => subscribers.Where(s => s.Status == SubscriberStatus.Confirmed);

    public const string ReadersSql = $"""s."Status" = '{nameof(SubscriberStatus.Confirmed)}'""";

    /// <summary>SQL: <c>s</c> is on one of the lists that <paramref name="linkTable"/> links to <paramref name="owner"/>, or it links none.</summary>
    public static string OnListsOf(string linkTable, string ownerColumn, string owner) => $"""
        (NOT EXISTS (SELECT 1 FROM "{linkTable}" AS l WHERE l."{ownerColumn}" = {owner})
         OR EXISTS (SELECT 1 FROM "{linkTable}" AS l JOIN "ListMembers" AS m ON m."ListId" = l."ListId"
                    WHERE l."{ownerColumn}" = {owner} AND m."SubscriberId" = s."Id"))
        """;
}
