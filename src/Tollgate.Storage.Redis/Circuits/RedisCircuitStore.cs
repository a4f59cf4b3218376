using System.Globalization;
using StackExchange.Redis;
using Tollgate.Storage.Circuits;
using Tollgate.Storage.Redis.Scripts;

namespace Tollgate.Storage.Redis.Circuits;

/// <summary>
/// Open circuits in Redis: <c>circuit.lua</c> records "deployment open until T" in one hash (a later T wins) and
/// announces it on a pub/sub channel in the same step, so every subscribed instance learns it at once and one that
/// starts later reads the hash. StackExchange.Redis subscribes again by itself after Redis restarts, and the hash is
/// read again then, so what was announced while an instance could not hear it still reaches it.
/// </summary>
internal sealed class RedisCircuitStore(ConnectionMultiplexer connection, RedisKeys keys, TimeProvider time) : ICircuitStore
{
    // The hash outlives the last opening by a day: a circuit's break is seconds or minutes, the hash is only a record.
    private const long HashLifeMs = 86_400_000;

    public async Task OpenAsync(string deployment, DateTimeOffset until)
    {
        try
        {
            await RedisScript.Circuit.EvaluateAsync(
                connection.GetDatabase(),
                [keys.Circuits],
                ["open", deployment, until.ToUnixTimeMilliseconds(), HashLifeMs, keys.CircuitChannel]).ConfigureAwait(false);
        }
        catch (Exception ex) when (Unavailable.Is(ex))
        {
            throw Unavailable.Wrap(ex);
        }
    }

    public void Subscribe(Action<string, DateTimeOffset> opened)
    {
        ArgumentNullException.ThrowIfNull(opened);

        // Announcements made while this instance could not hear them (Redis down at its start, or a connection lost)
        // are in the hash: it is read again whenever a connection comes back.
        connection.ConnectionRestored += (_, _) => List(opened);
        try
        {
            connection.GetSubscriber().Subscribe(RedisChannel.Literal(keys.CircuitChannel), (_, message) =>
            {
                var text = (string?)message;
                var bar = text?.IndexOf('|', StringComparison.Ordinal) ?? -1;
                if (bar > 0 && long.TryParse(text.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
                {
                    opened(text![(bar + 1)..], DateTimeOffset.FromUnixTimeMilliseconds(ms));
                }
            });
        }
        catch (Exception ex) when (Unavailable.Is(ex))
        {
            // Redis is down at start: the multiplexer keeps the subscription and makes it once it is back.
        }

        List(opened);
    }

    private void List(Action<string, DateTimeOffset> opened)
    {
        try
        {
            var now = time.GetUtcNow();
            var listed = (RedisResult[])RedisScript.Circuit.Evaluate(connection.GetDatabase(), [keys.Circuits], ["list"])!;
            for (var i = 0; i + 1 < listed.Length; i += 2)
            {
                var until = DateTimeOffset.FromUnixTimeMilliseconds((long)listed[i + 1]);
                if (until > now)
                {
                    opened((string)listed[i]!, until);
                }
            }
        }
        catch (Exception ex) when (Unavailable.Is(ex))
        {
            // Not reachable (yet): read when a connection comes back.
        }
    }
}
