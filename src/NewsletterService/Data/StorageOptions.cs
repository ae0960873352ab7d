namespace NewsletterService.Data;

/// <summary>Section <c>Storage</c>: which database holds subscribers, articles, campaigns and jobs.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>Sqlite</c> (embedded default, one machine) or <c>Postgres</c> (several processes and machines).</summary>
    public string Provider { get; set; } = "Sqlite";

    public bool IsSqlite => Provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase);
    public bool IsPostgres =>
        Provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase) ||
        Provider.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase);
}
