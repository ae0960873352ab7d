namespace NewsletterService.Security;

/// <summary>
/// One login gate in the database, shared by every web process: either one account from one client address (growing
/// delays) or one account over all addresses (a few tries a minute). The key is a keyed hash: no address or typed
/// account name is stored.
/// </summary>
public sealed class LoginThrottle
{
    /// <summary>HMAC-SHA-256 (hex) under the service's signing key of what the gate counts.</summary>
    public required string Key { get; set; }

    /// <summary>Tries let through since the gate was last cleared (a successful login clears a pair's gate).</summary>
    public int Attempts { get; set; }

    /// <summary>The next try is not even checked before this moment.</summary>
    public DateTime NextAttemptAt { get; set; }

    /// <summary>The last try let through; rows untouched for <c>Admin:LoginFailureMemory</c> are deleted.</summary>
    public DateTime UpdatedAt { get; set; }

    /// <summary>Optimistic concurrency: a gate changes only if nobody changed it since it was read.</summary>
    public int Version { get; set; }
}
