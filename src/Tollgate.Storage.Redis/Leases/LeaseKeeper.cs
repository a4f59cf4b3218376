using System.Collections.Concurrent;
using System.Globalization;
using StackExchange.Redis;

namespace Tollgate.Storage.Redis.Leases;

/// <summary>
/// Renews the leases of this instance's in-flight slots and reservations. Each is a member of a sorted set scored with
/// the time its lease ends; a timer pushes that time forward every third of the lease while the request runs. When the
/// instance dies the renewals stop and the scripts release its members once their leases end: a crash leaks nothing
/// for longer than one lease.
/// </summary>
internal sealed class LeaseKeeper : IDisposable
{
    private readonly ConcurrentDictionary<(RedisKey Set, string Member), byte> _held = new();
    private readonly Func<IDatabase> _database;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly string _instance = Guid.NewGuid().ToString("N")[..12];
    private readonly SemaphoreSlim _renewing = new(1, 1);
    private long _sequence;

    public LeaseKeeper(Func<IDatabase> database, TimeProvider time, TimeSpan lease)
    {
        _database = database;
        _time = time;
        Lease = lease;
        var every = lease / 3;
        _timer = time.CreateTimer(static s => _ = ((LeaseKeeper)s!).RenewAsync(wait: false), this, every, every);
    }

    /// <summary>How long a slot or reservation outlives the last renewal of its instance.</summary>
    public TimeSpan Lease { get; }

    /// <summary>Members held now.</summary>
    public int Count => _held.Count;

    /// <summary>A member name unique across instances.</summary>
    public string NewId() => _instance + ":" + Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture);

    /// <summary>Now, in Unix milliseconds, as the scripts take it.</summary>
    public long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>When a lease taken or renewed now ends, in Unix milliseconds.</summary>
    public long LeaseEndMs() => NowMs() + (long)Lease.TotalMilliseconds;

    public void Hold(RedisKey set, string member) => _held[(set, member)] = 0;

    public void Drop(RedisKey set, string member) => _held.TryRemove((set, member), out _);

    /// <summary>Pushes every held lease's end to a full lease from now (after a renewal under way); members already released are not re-added.</summary>
    public Task RenewAsync() => RenewAsync(wait: true);

    private async Task RenewAsync(bool wait)
    {
        // The timer skips a tick while a renewal is still under way; an explicit call waits for it.
        if (wait)
        {
            await _renewing.WaitAsync().ConfigureAwait(false);
        }
        else if (!_renewing.Wait(0))
        {
            return;
        }

        try
        {
            if (_held.IsEmpty)
            {
                return;
            }

            var end = LeaseEndMs();
            var batch = _database().CreateBatch();
            var pending = new List<Task>(_held.Count);
            foreach (var ((set, member), _) in _held)
            {
                pending.Add(batch.SortedSetAddAsync(set, member, end, SortedSetWhen.Exists));
            }

            batch.Execute();
            await Task.WhenAll(pending).ConfigureAwait(false);
        }
        catch (RedisException)
        {
            // Redis is away: the next tick tries again; a lease lost meanwhile only frees a slot early.
        }
        finally
        {
            _renewing.Release();
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _renewing.Dispose();
    }
}
