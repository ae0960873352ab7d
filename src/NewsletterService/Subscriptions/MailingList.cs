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

/// <summary>A subscriber's membership of a list.</summary>
public sealed class ListMembership
{
    public long SubscriberId { get; set; }
    public long ListId { get; set; }
    public MailingList? List { get; set; }
}

/// <summary>
/// An address whose owner asked to be forgotten, kept only as the SHA-256 of its folded form, so that an import
/// cannot add it back without the owner subscribing (and confirming) again.
/// </summary>
public sealed class Suppression
{
    public required string EmailHash { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>SHA-256 (hex) of the folded address (<see cref="Subscriber.EmailKey"/>).</summary>
    public static string HashOf(string emailKey) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(emailKey)));
}
