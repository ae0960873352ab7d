namespace NewsletterService.Data;

/// <summary>Section <c>Storage</c>: which database holds subscribers, articles, campaigns and jobs.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>Sqlite</c> (embedded default) or <c>Postgres</c>.</summary>
    public string Provider { get; set; } = "Sqlite";
}
