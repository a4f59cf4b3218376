using Tollgate.Storage.Postgres;
using Tollgate.Storage.Redis;

namespace Tollgate.Gateway.Configuration;

/// <summary>Checks <c>database_url</c> and <c>redis_url</c> when the configuration loads, naming the setting at fault and never its password.</summary>
internal static class SharedStateSettings
{
    public static void Validate(GatewayOptions options, Func<string, string?> env, string? configPath)
    {
        if (options.DatabaseUrl is { } database)
        {
            try
            {
                PostgresUrl.ToBuilder(database);
            }
            catch (FormatException ex)
            {
                throw new InvalidOperationException($"{Source(env, "TOLLGATE_DATABASE_URL", "database_url", configPath)} {ex.Message}", ex);
            }
        }

        if (options.RedisUrl is { } redis)
        {
            try
            {
                RedisUrl.Parse(redis);
            }
            catch (FormatException ex)
            {
                throw new InvalidOperationException($"{Source(env, "TOLLGATE_REDIS_URL", "redis_url", configPath)} {ex.Message}", ex);
            }
        }
    }

    private static string Source(Func<string, string?> env, string variable, string field, string? configPath) =>
        string.IsNullOrWhiteSpace(env(variable)) ? $"'{field}' in {configPath}" : variable;
}
