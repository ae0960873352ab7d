namespace NewsletterService.Security;

/// <summary>
/// A dashboard login, kept in the database so that logging out ends it on every web process: the login cookie names
/// its <see cref="Id"/>, and a cookie whose session is gone is refused.
/// </summary>
public sealed class AdminSession
{
    /// <summary>32 random bytes, base64url; the cookie's <see cref="AdminSessions.ClaimType"/> claim.</summary>
    public required string Id { get; set; }
    /// <summary>The <see cref="Accounts.Account"/> signed in; deleting the account ends its sessions.</summary>
    public required string UserId { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>The last request (to the minute); a session idle for <c>Admin:SessionTimeout</c> is over.</summary>
    public DateTime LastSeenAt { get; set; }
}
