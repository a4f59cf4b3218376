using Npgsql;

namespace Tollgate.Storage.Postgres.Tests;

/// <summary>
/// A fresh, empty database on the test server that <c>./test.sh</c> starts (TOLLGATE_TEST_DATABASE_URL), dropped
/// afterwards. Without the server the test fails, saying how to get one.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly NpgsqlConnectionStringBuilder _server;

    private TestDatabase(NpgsqlConnectionStringBuilder server, string name)
    {
        _server = server;
        Name = name;
        var builder = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name };
        ConnectionString = builder.ConnectionString;
        Url = $"postgres://{Uri.EscapeDataString(server.Username!)}:{Uri.EscapeDataString(server.Password ?? "")}@{server.Host}:{server.Port}/{name}";
    }

    public string Name { get; }
    public string ConnectionString { get; }

    /// <summary>The same database as a postgres:// URL.</summary>
    public string Url { get; }

    public static string ServerUrl =>
        Environment.GetEnvironmentVariable("TOLLGATE_TEST_DATABASE_URL") is { Length: > 0 } url
            ? url
            : throw new InvalidOperationException("TOLLGATE_TEST_DATABASE_URL is not set: these tests need a PostgreSQL server. Run ./test.sh, which starts a private one (tests/shared-state/servers.sh).");

    /// <summary>Creates the database (not yet migrated).</summary>
    public static async Task<TestDatabase> CreateAsync()
    {
        var server = PostgresUrl.ToBuilder(ServerUrl);
        var name = "tg_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new TestDatabase(server, name);
    }

    /// <summary>Creates and migrates the database and opens it.</summary>
    public static async Task<(TestDatabase Test, PostgresDatabase Database)> CreateMigratedAsync()
    {
        var test = await CreateAsync();
        var database = PostgresDatabase.Open(test.ConnectionString);
        await database.MigrateAsync();
        return (test, database);
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
