using Npgsql;

namespace NewsletterService.Tests.Infrastructure;

public enum Database { Sqlite, Postgres }

/// <summary>
/// A fresh, empty database for one test host: a SQLite file in the host's folder, or a new PostgreSQL database on
/// the server named by <c>NEWSLETTER_TEST_POSTGRES</c> (an admin connection string; .ci/run exports it), dropped afterwards.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private const string DefaultServer = "Host=127.0.0.1;Username=newsletter;Password=newsletter;Database=postgres";
    private readonly string? _postgresName;

    public Database Kind { get; }
    public string ConnectionString { get; }

    private TestDatabase(Database kind, string connectionString, string? postgresName)
    {
        Kind = kind;
        ConnectionString = connectionString;
        _postgresName = postgresName;
    }

    public IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Storage:Provider", Kind.ToString()),
        new("ConnectionStrings:Newsletter", ConnectionString),
    ];

    public static async Task<TestDatabase> CreateAsync(Database kind, string folder)
    {
        if (kind == Database.Sqlite) return new TestDatabase(kind, $"Data Source={Path.Combine(folder, "newsletter.db")}", null);

        var server = Environment.GetEnvironmentVariable("NEWSLETTER_TEST_POSTGRES") ?? DefaultServer;
        var name = "newsletter_test_" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            var withoutPassword = new NpgsqlConnectionStringBuilder(server) { Password = null };
            var message = $"PostgreSQL is not reachable at '{withoutPassword}' ({e.Message}); " +
                          "install and start it, or set NEWSLETTER_TEST_POSTGRES (see .ci/run)";
            if (Environment.GetEnvironmentVariable("CI") == "true") throw new InvalidOperationException(message, e);
            Skip.If(true, message);
        }
        return new TestDatabase(kind, new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgresName is null) return;
        NpgsqlConnection.ClearAllPools();
        var server = Environment.GetEnvironmentVariable("NEWSLETTER_TEST_POSTGRES") ?? DefaultServer;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(server);
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException) when (attempt < 5)
            {
                // A backend of the stopped host may still be closing (FORCE cannot end it while it is): try again shortly.
                await Task.Delay(500 * attempt);
            }
        }
    }
}
