using NewsletterService.Subscriptions;

namespace NewsletterService.Dashboard;

/// <summary>The subscribers an editor is looking at: by status, and by a part of the address or the name.</summary>
public sealed record SubscriberSearch(SubscriberStatus? Status, string? Text)
{
    public static SubscriberSearch From(string? status, string? q) =>
        new(Enum.TryParse<SubscriberStatus>(status, ignoreCase: true, out var s) && !int.TryParse(status, out _) ? s : null, q?.Trim());

    public IQueryable<Subscriber> Apply(IQueryable<Subscriber> subscribers)
    {
        if (Status is { } status) subscribers = subscribers.Where(s => s.Status == status);
        if (!string.IsNullOrEmpty(Text))
        {
            var term = Text.ToLowerInvariant();
            subscribers = subscribers.Where(s => s.EmailKey.Contains(term) || (s.Name != null && s.Name.ToLower().Contains(term)));
        }
        return subscribers;
    }
}
