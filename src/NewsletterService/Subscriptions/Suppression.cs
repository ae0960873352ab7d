namespace NewsletterService.Subscriptions;

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
