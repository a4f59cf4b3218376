using StackExchange.Redis;
using Tollgate.Storage.Budgets;
using Tollgate.Storage.Circuits;
using Tollgate.Storage.Limits;
using Tollgate.Storage.Quotas;
using Tollgate.Storage.Redis.Budgets;
using Tollgate.Storage.Redis.Circuits;
using Tollgate.Storage.Redis.Limits;
using Tollgate.Storage.Redis.Quotas;
using Tollgate.Storage.Redis.Leases;
using Tollgate.Storage.Redis.Scripts;

namespace Tollgate.Storage.Redis;

/// <summary>
/// The state several gateway instances share through one Redis: rate-limit windows, <c>max_parallel</c> gauges,
/// budgets, provider quotas and open circuits, each changed only by its atomic Lua script. The connection comes back by itself after Redis restarts;
/// meanwhile calls throw <see cref="SharedStateUnavailableException"/>.
/// </summary>
public sealed class RedisSharedState : IAsyncDisposable
{
    /// <summary>How long a crashed instance's slots and reservations stay taken, by default.</summary>
    public static readonly TimeSpan DefaultLease = TimeSpan.FromSeconds(30);

    private readonly ConnectionMultiplexer _connection;
    private readonly LeaseKeeper _leases;
    private int _disposed;

    private RedisSharedState(ConnectionMultiplexer connection, string display, TimeProvider time, TimeSpan lease, string prefix)
    {
        _connection = connection;
        Display = display;
        _leases = new LeaseKeeper(Database, time, lease);
        var keys = new RedisKeys(prefix);
        Limits = new RedisLimitStore(Database, keys, _leases);
        Budgets = new RedisBudgetStore(Database, keys, _leases);
        Quotas = new RedisQuotaStore(Database, keys, time);
        Circuits = new RedisCircuitStore(connection, keys, time);
    }

    /// <summary>Where Redis is, without a password: for the start-up banner and <c>/health</c>.</summary>
    public string Display { get; }

    /// <summary>Keys' limits (max_parallel, RPM, TPM, budgets), each request's taken in one round trip.</summary>
    public ILimitStore Limits { get; }

    /// <summary>Budgets read and reconciled with the ledger.</summary>
    public IBudgetStore Budgets { get; }

    /// <summary>Provider quotas (<c>providers.*.limits</c>) counted across instances.</summary>
    public IQuotaStore Quotas { get; }

    /// <summary>Circuits opened by any instance.</summary>
    public ICircuitStore Circuits { get; }

    /// <summary>True while the connection is up.</summary>
    public bool IsConnected => _connection.IsConnected;

    /// <summary>Slots and reservations this instance holds (and renews) now.</summary>
    public int LeasesHeld => _leases.Count;

    /// <summary>
    /// Connects to <paramref name="url"/> (<c>redis://host:port[/db]</c>) and loads the scripts. A server that is
    /// down does not fail the start: the connection keeps trying, and calls fail until it is up.
    /// </summary>
    /// <param name="url">The Redis URL.</param>
    /// <param name="time">The clock of leases and windows.</param>
    /// <param name="lease">How long a slot or reservation outlives its instance's last renewal.</param>
    /// <param name="keyPrefix">Prefix of every key (tests isolate themselves with it).</param>
    /// <exception cref="FormatException">The URL is malformed.</exception>
    public static async Task<RedisSharedState> ConnectAsync(string url, TimeProvider time, TimeSpan? lease = null, string keyPrefix = "tollgate:")
    {
        var options = RedisUrl.Parse(url);
        var connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        var state = new RedisSharedState(connection, RedisUrl.Describe(url), time, lease ?? DefaultLease, keyPrefix);
        await state.LoadScriptsAsync().ConfigureAwait(false);
        return state;
    }

    /// <summary>Sends every script to the servers once (SCRIPT LOAD); later calls name them by SHA-1.</summary>
    public async Task LoadScriptsAsync()
    {
        foreach (var endpoint in _connection.GetEndPoints())
        {
            var server = _connection.GetServer(endpoint);
            if (!server.IsConnected)
            {
                continue;
            }

            foreach (var script in RedisScript.All)
            {
                try
                {
                    await server.ScriptLoadAsync(script.Text).ConfigureAwait(false);
                }
                catch (Exception ex) when (Unavailable.Is(ex))
                {
                    // Not up yet: the first call sends the script when the server asks for it.
                }
            }
        }
    }

    /// <summary>Renews this instance's leases now (a timer does it every third of the lease).</summary>
    public Task RenewLeasesAsync() => _leases.RenewAsync();

    /// <summary>Stops renewing leases and closes the connection; held slots run out with their leases.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _leases.Dispose();
        await _connection.CloseAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private IDatabase Database() => _connection.GetDatabase();
}
