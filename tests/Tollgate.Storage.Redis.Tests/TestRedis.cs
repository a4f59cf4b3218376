using Microsoft.Extensions.Time.Testing;

namespace Tollgate.Storage.Redis.Tests;

/// <summary>
/// Connections to the test Redis that <c>./test.sh</c> starts (TOLLGATE_TEST_REDIS_URL), each test under its own key
/// prefix, on a shared fake clock. Without the server the test fails, saying how to get one.
/// </summary>
internal sealed class TestRedis : IAsyncDisposable
{
    private readonly List<RedisSharedState> _states = [];

    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    public string Prefix { get; } = "t" + Guid.NewGuid().ToString("N")[..10] + ":";

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 20, 12, 0, 30, TimeSpan.Zero));

    public static string Url =>
        Environment.GetEnvironmentVariable("TOLLGATE_TEST_REDIS_URL") is { Length: > 0 } url
            ? url
            : throw new InvalidOperationException("TOLLGATE_TEST_REDIS_URL is not set: these tests need a Redis server. Run ./test.sh, which starts a private one (tests/shared-state/servers.sh).");

    /// <summary>One more instance's view of the shared state (its own connection and leases).</summary>
    public async Task<RedisSharedState> InstanceAsync()
    {
        var state = await RedisSharedState.ConnectAsync(Url, Time, Lease, Prefix);
        Assert.True(state.IsConnected, $"Redis at {RedisUrl.Describe(Url)} did not answer.");
        _states.Add(state);
        return state;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _states)
        {
            await s.DisposeAsync();
        }
    }
}
