namespace NewsletterService.Security;

/// <summary>Section <c>Admin</c>: how editors and scripts prove who they are.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>Key for <c>Authorization: Bearer</c> on the admin API; 32+ characters outside Development.</summary>
    public string? ApiKey { get; set; }

    public string? Email { get; set; }
    public string? Password { get; set; }
}
