using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Tests.Settlement;

/// <summary>
/// A long database outage does not make requests wait: once the queue is full, entries are only journaled, and the
/// writer reads them back from the journal (across segments) when the database answers again, every entry stored
/// once and in the order it was appended.
/// </summary>
public sealed class LedgerSpillTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tollgate-spill-" + Guid.NewGuid().ToString("N"));
    private readonly List<string> _stored = [];
    private volatile bool _up;
    private int _failures;

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Outage_LongerThanTheQueue_AppendsDoNotWait_ThenEveryEntryIsStoredOnceInOrder()
    {
        // A queue of 16 and segments of 4 KB: 5,000 entries spill across a hundred segments.
        var journal = LedgerJournal.Open(_dir, segmentBytes: 4096);
        var queue = new LedgerQueue(WriteAsync, _ => Interlocked.Increment(ref _failures), maxBatch: 8, capacity: 16, journal: journal);
        await using (queue)
        {
            // Guarded only so a regression fails instead of hanging: appends that waited for the queue never return.
            await Task.Run(() =>
            {
                for (var i = 0; i < 5000; i++)
                {
                    queue.Append(Entry(i));
                }
            }).WaitAsync(TimeSpan.FromMinutes(1));

            Assert.Equal(5000, queue.Pending);
            Assert.Empty(Stored());
            Assert.True(Directory.GetFiles(_dir, "*" + LedgerJournal.Extension).Length > 50);

            // The writer has met the outage; then the database is back, and more requests arrive while it catches up.
            while (Volatile.Read(ref _failures) == 0)
            {
                await Task.Delay(10);
            }

            _up = true;
            var more = Task.Run(() =>
            {
                for (var i = 5000; i < 6000; i++)
                {
                    queue.Append(Entry(i));
                }
            });
            await more.WaitAsync(TimeSpan.FromMinutes(1));
            await queue.FlushAsync();

            Assert.Equal(0, queue.Pending);
            Assert.Equal(Enumerable.Range(0, 6000).Select(Id), Stored());

            // Back to queueing: a later entry is stored at once, after the others.
            queue.Append(Entry(6000));
            await queue.FlushAsync();
            Assert.Equal(Id(6000), Stored()[^1]);
        }

        // Everything stored: the journal's files are gone.
        Assert.Empty(Directory.GetFiles(_dir, "*" + LedgerJournal.Extension));
        Assert.Equal(6001, Stored().Count);
    }

    [Fact]
    public async Task Flush_DuringASpill_WaitsForTheSpilledEntriesAppendedBeforeIt()
    {
        var journal = LedgerJournal.Open(_dir, segmentBytes: 4096);
        var queue = new LedgerQueue(WriteAsync, maxBatch: 4, capacity: 4, journal: journal);
        await using (queue)
        {
            for (var i = 0; i < 100; i++)
            {
                queue.Append(Entry(i));
            }

            var flush = queue.FlushAsync();
            Assert.False(flush.IsCompleted);
            _up = true;
            await flush;

            Assert.Equal(Enumerable.Range(0, 100).Select(Id), Stored());
        }
    }

    [Fact]
    public async Task Outage_WithManyThreadsAppending_EveryEntryIsStoredOnceInEachThreadsOrder()
    {
        // Appenders race the spill's start and end: while the database is away and while it catches up, the entries
        // that are queued and those only journaled must still reach it once each, in journal order (each thread's
        // entries in the order it appended them), and the journal must end fully stored (its files deleted).
        const int Threads = 8;
        const int PerThread = 500;
        var journal = LedgerJournal.Open(_dir, segmentBytes: 4096);
        var queue = new LedgerQueue(WriteAsync, _ => Interlocked.Increment(ref _failures), maxBatch: 8, capacity: 16, journal: journal);
        await using (queue)
        {
            var appending = Task.WhenAll(Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
            {
                for (var i = 0; i < PerThread; i++)
                {
                    queue.Append(Entry((t * PerThread) + i));
                    if (i == PerThread / 2 && t == 0)
                    {
                        // Halfway through one thread, the database comes back: the others are still appending.
                        _up = true;
                    }
                }
            })));
            await appending.WaitAsync(TimeSpan.FromMinutes(1));
            _up = true;
            await queue.FlushAsync().WaitAsync(TimeSpan.FromMinutes(1));

            var stored = Stored();
            Assert.Equal(0, queue.Pending);
            Assert.Equal(Threads * PerThread, stored.Count);
            Assert.Equal(Threads * PerThread, stored.Distinct().Count());
            for (var t = 0; t < Threads; t++)
            {
                var first = Id(t * PerThread);
                var last = Id(((t + 1) * PerThread) - 1);
                var own = stored.Where(id => string.CompareOrdinal(id, first) >= 0 && string.CompareOrdinal(id, last) <= 0).ToList();
                Assert.Equal(Enumerable.Range(t * PerThread, PerThread).Select(Id), own);
            }
        }

        Assert.Empty(Directory.GetFiles(_dir, "*" + LedgerJournal.Extension));
    }

    private static string Id(int i) => "req_" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);

    private static LedgerEntry Entry(int i) =>
        new() { Id = Id(i), Time = T0.AddSeconds(i), KeyId = "k", Endpoint = "chat", Provider = "demo", Model = "demo/priced", Status = 200, InputTokens = 10, OutputTokens = 5, Cost = 0.001m };

    private List<string> Stored()
    {
        lock (_stored)
        {
            return [.. _stored];
        }
    }

    private async Task WriteAsync(IReadOnlyList<LedgerEntry> batch)
    {
        await Task.Yield();
        if (!_up)
        {
            throw new InvalidOperationException("the database is away");
        }

        lock (_stored)
        {
            _stored.AddRange(batch.Select(e => e.Id));
        }
    }
}
