namespace NewsletterService.Delivery;

/// <summary>Section <c>Dkim</c>: when all three are set, every message is DKIM-signed (relaxed/relaxed, RSA-SHA256).</summary>
public sealed class DkimOptions
{
    public const string Section = "Dkim";

    /// <summary>The signing domain (d=), normally the sender's domain.</summary>
    public string? Domain { get; set; }

    /// <summary>The selector (s=): the public key is published at <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c>.</summary>
    public string? Selector { get; set; }

    /// <summary>PEM file with the RSA private key.</summary>
    public string? PrivateKeyPath { get; set; }

    public bool Enabled =>
        !string.IsNullOrWhiteSpace(Domain) && !string.IsNullOrWhiteSpace(Selector) && !string.IsNullOrWhiteSpace(PrivateKeyPath);
}
