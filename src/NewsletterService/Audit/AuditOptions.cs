using System.ComponentModel.DataAnnotations;

namespace NewsletterService.Audit;

/// <summary>Section <c>Audit</c>: how long the audit log keeps its entries.</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>Entries older than this are deleted by the daily job <c>audit-prune</c> (1 day to 10 years).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(365);
}
