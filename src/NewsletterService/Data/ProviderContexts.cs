using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace NewsletterService.Data;

// One model, one set of migrations per provider: each provider's context type owns the migrations made for it
// (Data/Migrations/Sqlite, Data/Migrations/Postgres). The service itself only ever asks for NewsletterDb.

public sealed class SqliteNewsletterDb(DbContextOptions<SqliteNewsletterDb> options) : NewsletterDb(options);

public sealed class PostgresNewsletterDb(DbContextOptions<PostgresNewsletterDb> options) : NewsletterDb(options);

/// <summary>For <c>dotnet ef migrations add ... --context SqliteNewsletterDb</c>; nothing is connected.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteNewsletterDb>
{
    public SqliteNewsletterDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteNewsletterDb>().UseSqlite(DataRegistration.DefaultSqlite).Options);
}

/// <summary>For <c>dotnet ef migrations add ... --context PostgresNewsletterDb</c>; nothing is connected.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresNewsletterDb>
{
    public PostgresNewsletterDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresNewsletterDb>().UseNpgsql("Host=localhost;Database=newsletter").Options);
}
