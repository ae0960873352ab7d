namespace NewsletterService.Infrastructure;

/// <summary>Section <c>Roles</c>: which sides of the service this process runs.</summary>
public sealed class RolesOptions
{
    public const string Section = "Roles";

    /// <summary>Public pages, admin dashboard, API and the Hangfire dashboard.</summary>
    public bool Web { get; set; } = true;

    /// <summary>The Hangfire server that runs jobs and sends mail.</summary>
    public bool Worker { get; set; } = true;
}
