using System.ComponentModel.DataAnnotations;

namespace NewsletterService.Infrastructure;

/// <summary>Section <c>Newsletter</c>: who mails come from and where their links point.</summary>
public sealed class NewsletterOptions
{
    public const string Section = "Newsletter";

    /// <summary>Public base URL of this service; every link in every mail starts with it.</summary>
    [Required, Url]
    public string BaseUrl { get; set; } = "http://localhost:5000";

    [Required, EmailAddress]
    public string FromAddress { get; set; } = "newsletter@localhost.localdomain";

    [MaxLength(100)]
    public string FromName { get; set; } = "Newsletter";

    /// <summary>
    /// Mailbox named in the <c>mailto:</c> part of List-Unsubscribe; defaults to <c>unsubscribe@</c> the sender's domain.
    /// </summary>
    [EmailAddress]
    public string? UnsubscribeMailbox { get; set; }

    /// <summary>
    /// Key that signs the tokens in links (32+ characters). Empty: a random key is generated once and kept in the database.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// Domain for VERP envelope senders (<c>bounces+&lt;token&gt;@domain</c>); unset: the envelope sender is <see cref="FromAddress"/>.
    /// </summary>
    [RegularExpression(@"^[A-Za-z0-9.-]+$")]
    public string? BounceDomain { get; set; }

    public string PublicUrl(string path) => BaseUrl.TrimEnd('/') + path;

    public string UnsubscribeAddress =>
        UnsubscribeMailbox ?? "unsubscribe@" + FromAddress[(FromAddress.IndexOf('@') + 1)..];
}
