namespace NewsletterService.Subscriptions;

/// <summary>
/// The subscribers an editor is looking at: by status, list (slug) and cadence, and by a part of the address or the
/// name. The dashboard's list, pages and CSV export and <c>GET /api/subscribers</c> read it from the same query parameters.
/// </summary>
public sealed record SubscriberSearch(SubscriberStatus? Status, string? Text, string? List, Cadence? Cadence)
{
    public static SubscriberSearch From(string? status, string? q, string? list = null, string? cadence = null) =>
        new(Parse<SubscriberStatus>(status), q?.Trim(), string.IsNullOrWhiteSpace(list) ? null : list.Trim().ToLowerInvariant(),
            Parse<Cadence>(cadence));

    /// <summary>Query parameter values as the forms and links write them.</summary>
    public static string Value<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    public IQueryable<Subscriber> Apply(IQueryable<Subscriber> subscribers)
    {
        if (Status is { } status) subscribers = subscribers.Where(s => s.Status == status);
        if (Cadence is { } cadence) subscribers = subscribers.Where(s => s.Cadence == cadence);
        if (List is { } list) subscribers = subscribers.Where(s => s.Memberships.Any(m => m.List!.Slug == list));
        if (!string.IsNullOrEmpty(Text))
        {
            var term = Text.ToLowerInvariant();
            subscribers = subscribers.Where(s => s.EmailKey.Contains(term) || (s.Name != null && s.Name.ToLower().Contains(term)));
        }
        return subscribers;
    }

    private static T? Parse<T>(string? value) where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && !int.TryParse(value, out _) ? parsed : null;
}
