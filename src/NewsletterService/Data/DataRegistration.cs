using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using NewsletterService.Infrastructure;

namespace NewsletterService.Data;

public static class DataRegistration
{
    public const string ConnectionName = "Newsletter";
    public const string DefaultSqlite = "Data Source=data/newsletter.db";

    public static WebApplicationBuilder AddNewsletterData(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<StorageOptions>(StorageOptions.Section)
            .Validate(o => o.Provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase), "Storage:Provider must be 'Sqlite'.");
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName) is { Length: > 0 } cs ? cs : DefaultSqlite;

        EnsureSqliteFolder(connectionString);
        builder.Services.AddDbContextFactory<NewsletterDb>(o => o
            .UseSqlite(connectionString, sqlite => sqlite.CommandTimeout(60))
            .AddInterceptors(new SqlitePragmas()));
        return builder;
    }

    /// <summary>The folder of the SQLite file (by default <c>./data/</c>), created on first run.</summary>
    public static string SqliteFolder(string connectionString)
    {
        var path = new SqliteConnectionStringBuilder(connectionString).DataSource;
        return Path.GetDirectoryName(Path.GetFullPath(path))!;
    }

    private static void EnsureSqliteFolder(string connectionString) => Directory.CreateDirectory(SqliteFolder(connectionString));

    /// <summary>WAL lets readers (the dashboard, progress polls) run beside the one writer; NORMAL sync is safe under WAL.</summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";
            await command.ExecuteNonQueryAsync(ct);
        }

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Applies pending migrations, then loads what every request needs from the database.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NewsletterDb>();
            await db.Database.MigrateAsync();
        }
        await app.Services.GetRequiredService<Security.SigningKey>().LoadAsync(app.Services, CancellationToken.None);
        if (app.Environment.IsDevelopment()) await Articles.SampleArticle.SeedAsync(app.Services, CancellationToken.None);
    }
}
