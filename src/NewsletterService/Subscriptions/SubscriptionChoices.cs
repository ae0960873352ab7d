using Microsoft.EntityFrameworkCore;
using NewsletterService.Data;

namespace NewsletterService.Subscriptions;

/// <summary>
/// What a reader (or an import row) may choose besides the address: lists and cadence, read and checked one way everywhere.
/// </summary>
public static class SubscriptionChoices
{
    public sealed record Choices(string? Name, Cadence Cadence, long[] ListIds);

    /// <summary>Reads name, cadence and lists from a request, adding an error per field at fault to <paramref name="errors"/>.</summary>
    public static async Task<Choices> ReadAsync(
        NewsletterDb db, SubscribeRequest request, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        if (!SubscriberName.TryNormalise(request.Name, out var name, out var error)) errors["name"] = [error];
        if (!TryParseCadence(request.Cadence, out var cadence, out error)) errors["cadence"] = [error];
        if (!TryResolveLists(await ListsBySlugAsync(db, ct), request.Lists, out var listIds, out error)) errors["lists"] = [error];
        return new Choices(name, cadence, listIds);
    }

    public static void Apply(this Subscriber subscriber, Choices choices)
    {
        subscriber.Name = choices.Name;
        subscriber.Cadence = choices.Cadence;
        subscriber.SetLists(choices.ListIds);
    }

    /// <summary>Every list by slug; lists are few, so each request reads them all.</summary>
    public static Task<Dictionary<string, MailingList>> ListsBySlugAsync(NewsletterDb db, CancellationToken ct) =>
        db.Lists.AsNoTracking().OrderBy(l => l.Name).ToDictionaryAsync(l => l.Slug, ct);

    /// <summary>Slugs to list ids (case-insensitive, duplicates ignored); fails on the first slug that names no list.</summary>
    public static bool TryResolveLists(
        IReadOnlyDictionary<string, MailingList> lists, IEnumerable<string?>? slugs, out long[] ids, out string error)
    {
        ids = [];
        error = "";
        var found = new List<long>();
        foreach (var given in slugs ?? [])
        {
            var slug = given?.Trim().ToLowerInvariant() ?? "";
            if (slug.Length == 0) continue;
            if (!lists.TryGetValue(slug, out var list))
            {
                error = $"There is no list '{(slug.Length <= 50 ? slug : slug[..50] + "…")}'.";
                return false;
            }
            found.Add(list.Id);
        }
        ids = found.Distinct().ToArray();
        return true;
    }

    /// <summary><c>immediate</c> (also when empty), <c>daily</c> or <c>weekly</c>.</summary>
    public static bool TryParseCadence(string? value, out Cadence cadence, out string error)
    {
        error = "";
        cadence = Cadence.Immediate;
        if (string.IsNullOrWhiteSpace(value)) return true;
        if (Enum.TryParse(value.Trim(), ignoreCase: true, out cadence) && !char.IsAsciiDigit(value.Trim()[0])) return true;
        error = "cadence must be one of: immediate, daily, weekly.";
        return false;
    }

    /// <summary>Makes the subscriber a member of exactly these lists.</summary>
    public static void SetLists(this Subscriber subscriber, IReadOnlyCollection<long> listIds)
    {
        subscriber.Memberships.RemoveAll(m => !listIds.Contains(m.ListId));
        foreach (var id in listIds.Where(id => subscriber.Memberships.All(m => m.ListId != id)))
            subscriber.Memberships.Add(new ListMembership { ListId = id });
    }
}
