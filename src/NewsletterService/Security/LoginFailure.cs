using System.Security.Cryptography;
using System.Text;

namespace NewsletterService.Security;

/// <summary>
/// Failed dashboard logins in a row for one address, in the database so that every web process counts them together
/// and a lock-out holds on all of them. The address is kept only as a hash: anyone can type anything into the form.
/// </summary>
public sealed class LoginFailure
{
    /// <summary>SHA-256 (hex) of the trimmed, lower-cased address that was typed.</summary>
    public required string EmailHash { get; set; }
    public int Failures { get; set; }
    public DateTime? LockedUntil { get; set; }

    /// <summary>The last failure; failures further apart than <c>Admin:LockoutDuration</c> do not add up.</summary>
    public DateTime UpdatedAt { get; set; }

    public static string HashOf(string email) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())));
}
