namespace NewsletterService.Accounts;

/// <summary>
/// An API key of one account: it acts with the account's role of the moment, and stops working when the account is
/// disabled or removed or the key is revoked. Only the SHA-256 of the key is stored (a key is 32 random bytes, so a
/// plain hash is enough); <see cref="Prefix"/> is its first characters, to tell keys apart.
/// </summary>
public sealed class AccountApiKey
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required byte[] Hash { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>The last request with the key, to the minute.</summary>
    public DateTime? LastUsedAt { get; set; }

    public const int MaxName = 100;
}
