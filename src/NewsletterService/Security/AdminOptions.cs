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

    /// <summary>Failed logins for one account from one client address that are checked without delay.</summary>
    [Range(1, 100)]
    public int LoginFailuresBeforeDelay { get; set; } = 3;

    /// <summary>The wait after the first failure beyond <see cref="LoginFailuresBeforeDelay"/>; it doubles with each further one.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan LoginFirstDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two tries for one account from one address.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LoginMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Tries per minute for one account over all addresses together; a known device does not count against it.</summary>
    [Range(1, 1000)]
    public int LoginAttemptsPerMinute { get; set; } = 6;

    /// <summary>Failures older than this (with no try since) are forgotten and their rows deleted.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan LoginFailureMemory { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long a browser that logged in is remembered as a known device of the account.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan KnownDeviceLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>A dashboard session ends after this long without a request (sliding expiry).</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How long the link in an invitation mail works (once).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromHours(72);

    /// <summary>How long the link in a password-reset mail works (once).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan PasswordResetLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>"Forgot password" requests per minute from one client address.</summary>
    [Range(1, 1000)]
    public int PasswordResetsPerMinute { get; set; } = 10;
}
