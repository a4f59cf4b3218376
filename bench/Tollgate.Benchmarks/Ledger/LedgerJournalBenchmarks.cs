using BenchmarkDotNet.Attributes;
using Tollgate.Storage.Ledger;

namespace Tollgate.Benchmarks.Ledger;

/// <summary>
/// What a request's ledger entry costs the request itself: <see cref="LedgerQueue.Append"/> as the settler calls it,
/// without a journal (the queue alone: what a kill could lose), with the journal (one JSON line, one write() into the
/// page cache, before the entry is queued) and with the journal flushed to the disk per entry (fsync: survives a power
/// loss). The writer behind the queue stores nothing, so only the request's side is measured; it reports each batch
/// to the journal, which keeps the file from growing as in the gateway. The concurrent cases append from 16 threads
/// at once, as the gateway's requests settle under load (the figure is per entry): what the journal's locking costs.
/// </summary>
[MemoryDiagnoser]
public class LedgerJournalBenchmarks
{
    private static readonly LedgerEntry s_entry = new()
    {
        Id = "req_01JDX4C8Z0A1B2C3D4E5F6G7H8",
        Time = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero),
        KeyId = "tg-AbCdE",
        Endpoint = "chat",
        Provider = "openai",
        Model = "openai/gpt-4o-mini",
        Stream = true,
        Status = 200,
        LatencyMs = 812.25,
        TtftMs = 240.5,
        InputTokens = 1200,
        OutputTokens = 350,
        Cost = 0.00039m,
        Attempts = [new LedgerAttempt("openai", "gpt-4o-mini", 200, null, 240.5)],
    };

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tollgate-bench-journal-" + Guid.NewGuid().ToString("N"));
    private LedgerQueue _queueOnly = null!;
    private LedgerQueue _journaled = null!;
    private LedgerQueue _synced = null!;

    [GlobalSetup]
    public void Setup()
    {
        static Task Discard(IReadOnlyList<LedgerEntry> batch) => Task.CompletedTask;

        // Threads enough for every concurrent appender at once, as under a saturation run.
        ThreadPool.SetMinThreads(Threads * 2, Threads * 2);
        _queueOnly = new LedgerQueue(Discard);
        _journaled = new LedgerQueue(Discard, journal: LedgerJournal.Open(Path.Combine(_dir, "plain")));
        _synced = new LedgerQueue(Discard, journal: LedgerJournal.Open(Path.Combine(_dir, "fsync"), fsync: true));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _queueOnly.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _journaled.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _synced.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "queue only (no journal)")]
    public void QueueOnly() => _queueOnly.Append(s_entry);

    [Benchmark(Description = "journal line + queue")]
    public void Journaled() => _journaled.Append(s_entry);

    [Benchmark(Description = "journal line + fsync + queue")]
    public void Synced() => _synced.Append(s_entry);

    [Benchmark(Description = "journal line + queue, 16 threads at once", OperationsPerInvoke = ConcurrentAppends)]
    public void JournaledConcurrent() => AppendConcurrently(_journaled);

    [Benchmark(Description = "journal line + fsync + queue, 16 threads at once", OperationsPerInvoke = ConcurrentAppends)]
    public void SyncedConcurrent() => AppendConcurrently(_synced);

    private const int Threads = 16;
    private const int ConcurrentAppends = Threads * 64;

    private static void AppendConcurrently(LedgerQueue queue) =>
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ =>
        {
            for (var i = 0; i < ConcurrentAppends / Threads; i++)
            {
                queue.Append(s_entry);
            }
        });
}
