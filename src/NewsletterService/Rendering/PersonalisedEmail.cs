namespace NewsletterService.Rendering;

/// <summary>A campaign's email rendered once with a name and once without, filled in for each recipient.</summary>
public sealed class PersonalisedEmail(EmailSkeleton named, EmailSkeleton anonymous)
{
    public EmailSkeleton SkeletonFor(RecipientValues recipient) => string.IsNullOrWhiteSpace(recipient.Name) ? anonymous : named;

    public EmailBody For(RecipientValues recipient) => SkeletonFor(recipient).Fill(recipient);
}

/// <summary>One recipient's values for the placeholders.</summary>
public sealed record RecipientValues(string? Name, string UnsubscribeUrl, string PreferencesUrl);
