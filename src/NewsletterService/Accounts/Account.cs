using Microsoft.AspNetCore.Identity;

namespace NewsletterService.Accounts;

/// <summary>
/// A person who signs in to the dashboard: an ASP.NET Core Identity user whose user name is their e-mail address, with
/// exactly one of the roles of <see cref="Security.AccountRoles"/>. A disabled account is locked out for good.
/// </summary>
public sealed class Account : IdentityUser
{
    public DateTime CreatedAt { get; set; }

    /// <summary>The lock-out end that disables an account (Identity's own way to keep an account out for good).</summary>
    public static readonly DateTimeOffset DisabledUntil = DateTimeOffset.MaxValue;

    public bool IsDisabled => Disables(LockoutEnd);

    public static bool Disables(DateTimeOffset? lockoutEnd) => lockoutEnd is { } end && end >= DisabledUntil.AddYears(-1);
}
