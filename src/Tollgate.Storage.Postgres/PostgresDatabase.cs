using Npgsql;
using Tollgate.Storage.Postgres.Migrations;

namespace Tollgate.Storage.Postgres;

/// <summary>
/// One PostgreSQL database shared by every gateway instance: its connection pool and its schema version. Opened
/// from <c>TOLLGATE_DATABASE_URL</c>, a <c>postgres://user:pass@host:port/db</c> URL or an Npgsql connection string.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private PostgresDatabase(NpgsqlDataSource dataSource, string display)
    {
        DataSource = dataSource;
        Display = display;
    }

    /// <summary>The pool every store of this database draws from.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>Where the database is, without the password: for the start-up banner and <c>/health</c>.</summary>
    public string Display { get; }

    /// <summary>Opens the pool (no connection is made until first use).</summary>
    /// <exception cref="FormatException">The value is neither a postgres URL nor a connection string.</exception>
    public static PostgresDatabase Open(string urlOrConnectionString)
    {
        var builder = PostgresUrl.ToBuilder(urlOrConnectionString);
        builder.ApplicationName ??= "tollgate";
        return new PostgresDatabase(NpgsqlDataSource.Create(builder.ConnectionString), PostgresUrl.Describe(builder));
    }

    /// <summary>Applies the migrations this database lacks, in order; returns those applied now.</summary>
    public Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken cancellationToken = default) =>
        PostgresMigrator.MigrateAsync(DataSource, Migration.All, cancellationToken);

    /// <summary>The versions applied so far, oldest first.</summary>
    public Task<IReadOnlyList<int>> AppliedAsync(CancellationToken cancellationToken = default) =>
        PostgresMigrator.AppliedAsync(DataSource, cancellationToken);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
