using StackExchange.Redis;

namespace Tollgate.Storage.Redis;

/// <summary>Turns "Redis cannot be reached" into <see cref="SharedStateUnavailableException"/>; other errors stay bugs.</summary>
internal static class Unavailable
{
    public static bool Is(Exception ex) => ex is RedisConnectionException or RedisTimeoutException;

    public static SharedStateUnavailableException Wrap(Exception ex) =>
        new("Redis did not answer: " + ex.Message, ex);
}
