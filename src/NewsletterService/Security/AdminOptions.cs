using System.ComponentModel.DataAnnotations;

namespace NewsletterService.Security;

/// <summary>Section <c>Admin</c>: how editors and scripts prove who they are.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>Key for <c>Authorization: Bearer</c> on the admin API; 32+ characters outside Development.</summary>
    public string? ApiKey { get; set; }

    public const string DefaultEmail = "admin@localhost";

    /// <summary>The dashboard login of the bootstrap admin.</summary>
    [EmailAddress]
    public string Email { get; set; } = DefaultEmail;

    /// <summary>The bootstrap admin's password; required in Production, generated per run elsewhere. Kept only as a hash.</summary>
    public string? Password { get; set; }

    /// <summary>Failed logins in a row after which the account is locked for <see cref="LockoutDuration"/>.</summary>
    [Range(1, 100)]
    public int MaxFailedLogins { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A dashboard session ends after this long without a request (sliding expiry).</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromHours(2);
}
