namespace NewsletterService.Rendering;

/// <summary>A campaign's email rendered once with a name and once without, filled in for each recipient.</summary>
public sealed class PersonalisedEmail(EmailSkeleton named, EmailSkeleton anonymous)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(bool, bool), PersonalisedEmail> _tracked = [];

    public EmailSkeleton SkeletonFor(RecipientValues recipient) => string.IsNullOrWhiteSpace(recipient.Name) ? anonymous : named;

    public EmailBody For(RecipientValues recipient) => SkeletonFor(recipient).Fill(recipient);

    /// <summary>The links the click tracker stands in for (those of <see cref="Tracked"/>'s email; none in this one).</summary>
    public IReadOnlyList<string> Links => named.Links;

    /// <summary>This email with an open pixel and/or its links in slots for the tracker's addresses; made once per choice.</summary>
    public PersonalisedEmail Tracked(bool opens, bool clicks)
    {
        lock (_lock)
        {
            if (_tracked.TryGetValue((opens, clicks), out var email)) return email;
            var links = new List<string>(); // one index per address in both shapes
            var tracked = new PersonalisedEmail(named.Tracked(opens, clicks, links), anonymous.Tracked(opens, clicks, links));
            return _tracked[(opens, clicks)] = tracked;
        }
    }
}

/// <summary>One recipient's values for the placeholders; <paramref name="Tracking"/> for a tracked email.</summary>
public sealed record RecipientValues(string? Name, string UnsubscribeUrl, string PreferencesUrl, TrackingValues? Tracking = null);

/// <summary>A reader's open pixel address and, for each of the email's <see cref="PersonalisedEmail.Links"/>, their tracked link.</summary>
public sealed record TrackingValues(string OpenUrl, IReadOnlyList<string> LinkUrls);
