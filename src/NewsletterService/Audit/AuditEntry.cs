namespace NewsletterService.Audit;

/// <summary>
/// Who did what and when: one row per action (<c>campaign.send</c>, <c>sign-in.failed</c>, ...). <see cref="Actor"/> is the
/// account's address, <c>api key</c> for the configured key, <c>system</c> for jobs; <see cref="Details"/> a JSON object.
/// </summary>
public sealed class AuditEntry
{
    public const int MaxActor = 320;
    public const int MaxAction = 64;
    public const int MaxTarget = 300;
    public const int MaxClientAddress = 64;

    public long Id { get; set; }
    public DateTime At { get; set; }
    public string Actor { get; set; } = "";
    public string Action { get; set; } = "";

    /// <summary>What the action was done to, as "campaign 12" or "subscriber reader@example.com"; none for a sign-in.</summary>
    public string? Target { get; set; }

    /// <summary>A JSON object with the action's particulars (the lists a campaign went to, the counts of an import).</summary>
    public string? Details { get; set; }

    /// <summary>The client's address (after <c>X-Forwarded-For</c> when forwarded headers are on); none for jobs.</summary>
    public string? ClientAddress { get; set; }
}
