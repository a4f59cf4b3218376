using Npgsql;
using Tollgate.Storage.Postgres;

namespace Tollgate.Gateway.Tests.SharedState;

/// <summary>
/// The PostgreSQL and Redis that <c>./test.sh</c> starts (TOLLGATE_TEST_DATABASE_URL, TOLLGATE_TEST_REDIS_URL). Each
/// test gets a database of its own; Redis is shared (every test's keys have fresh prefixes). Without the servers the
/// tests fail, saying how to get them.
/// </summary>
internal static class SharedServers
{
    public static string RedisUrl => Variable("TOLLGATE_TEST_REDIS_URL", "Redis");

    /// <summary>A new, empty database; the gateway migrates it at start.</summary>
    public static async Task<string> NewDatabaseAsync()
    {
        var server = PostgresUrl.ToBuilder(Variable("TOLLGATE_TEST_DATABASE_URL", "PostgreSQL"));
        var name = "tg_gw_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
    }

    private static string Variable(string name, string what) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: the shared-state tests need a {what} server. Run ./test.sh, which starts private ones (tests/shared-state/servers.sh).");
}
