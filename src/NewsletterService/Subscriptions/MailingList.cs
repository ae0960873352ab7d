using System.Text.RegularExpressions;

namespace NewsletterService.Subscriptions;

/// <summary>A topic readers can join; campaigns may target one or more lists.</summary>
public sealed partial class MailingList
{
    public const int MaxNameLength = 100;

    public long Id { get; set; }

    /// <summary>Stable identifier used by the API, the CSV import and the forms: lower-case letters, digits and hyphens.</summary>
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }

    public static bool IsValidSlug(string? slug) => slug is not null && SlugPattern().IsMatch(slug);

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$")]
    private static partial Regex SlugPattern();
}
