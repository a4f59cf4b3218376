using System.Text;
using Microsoft.Data.Sqlite;
using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Tests.Settlement;

/// <summary>
/// The ledger journal: entries written before they are queued come back after the process is gone (a torn last line
/// skipped), are stored once however often they are replayed, and a segment a live journal holds is left alone.
/// </summary>
public sealed class LedgerJournalTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tollgate-journal-" + Guid.NewGuid().ToString("N"));

    private string JournalDir => Path.Combine(_dir, "journal");

    private string DatabasePath => Path.Combine(_dir, "tollgate.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void WriteThenParse_EveryField_RoundTripsExactly()
    {
        var entry = Entry("req_all") with
        {
            Provider = "openai",
            ErrorType = "upstream_error",
            TtftMs = 12.3456789,
            CacheReadTokens = 3,
            CacheWriteTokens = 4,
            ReasoningTokens = 5,
            ListCost = 0.000012345678901234567m,
            OverReserved = 0.59871234567890123m,
            Estimated = true,
            Unpriced = true,
            Stream = true,
            Attempts = [new("groq", "llama", 429, "status", 1.5), new("openai", "gpt-4o-mini", 200, null, 1234.0625)],
        };
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            LedgerJournal.Write(writer, entry);
        }

        var parsed = LedgerJournal.Parse(buffer.WrittenSpan);
        Assert.Equal(entry with { Attempts = [] }, parsed with { Attempts = [] });
        Assert.Equal(entry.Attempts, parsed.Attempts);
    }

    [Fact]
    public async Task Replay_AfterAKillWithATornLastLine_StoresEveryWholeEntryOnce()
    {
        // A "killed" process: its entries are journaled, some stored, its queue never drained nor disposed.
        var first = LedgerJournal.Open(JournalDir);
        await using (var ledger = new SqliteLedger(DatabasePath))
        {
            for (var i = 0; i < 5; i++)
            {
                var stored = Entry("req_" + i) with { Cost = 0.01m };
                first.Append(stored);

                // Stored too (as the writer would have), so the replay meets ids already stored.
                ledger.Append(stored);
            }

            for (var i = 5; i < 8; i++)
            {
                first.Append(Entry("req_" + i) with { Cost = 0.01m });
            }
        }

        first.Dispose();
        var segment = Assert.Single(Directory.GetFiles(JournalDir, "*" + LedgerJournal.Extension));

        // The kill cut the last write in the middle of its line.
        await File.AppendAllTextAsync(segment, "{\"id\":\"req_torn\",\"time\":\"2026-11-", Encoding.UTF8);

        var journal = LedgerJournal.Open(JournalDir);
        Assert.Equal(8, journal.Recovered.Count);
        Assert.Equal(1, journal.SkippedLines);
        await using (var replayed = new SqliteLedger(DatabasePath, journal))
        {
            var usage = Assert.Single(await replayed.SummarizeAsync(new UsageQuery()));
            Assert.Equal(8, usage.Requests);
            Assert.Equal(0.08m, usage.Cost);
            Assert.Equal(0, replayed.Pending);
        }

        // Everything stored and the ledger closed: nothing is left to replay, and a third start stores nothing twice.
        Assert.Empty(Directory.GetFiles(JournalDir, "*" + LedgerJournal.Extension));
        await using var third = new SqliteLedger(DatabasePath, LedgerJournal.Open(JournalDir));
        Assert.Equal(8, Assert.Single(await third.SummarizeAsync(new UsageQuery())).Requests);
    }

    [Fact]
    public void Open_WhileAnotherJournalLivesInTheDirectory_LeavesItsSegmentAlone()
    {
        using var live = LedgerJournal.Open(JournalDir);
        live.Append(Entry("req_live"));

        using var second = LedgerJournal.Open(JournalDir);
        Assert.Empty(second.Recovered);
        Assert.Equal(2, Directory.GetFiles(JournalDir, "*" + LedgerJournal.Extension).Length);
    }

    [Fact]
    public async Task Committed_EverythingStored_EmptiesTheLiveSegmentAndDropsFullOnes()
    {
        // Tiny segments: every entry starts a new one.
        var journal = LedgerJournal.Open(JournalDir, segmentBytes: 1);
        await using (var ledger = new SqliteLedger(DatabasePath, journal))
        {
            for (var i = 0; i < 20; i++)
            {
                ledger.Append(Entry("req_" + i));
            }

            await ledger.FlushAsync();
            Assert.Equal(0, ledger.Pending);

            // Only the live segment is left, and it is empty: the checkpoint is the end of the journal.
            var left = Assert.Single(Directory.GetFiles(JournalDir, "*" + LedgerJournal.Extension));
            Assert.Equal(0, new FileInfo(left).Length);
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(JournalDir));
        }
    }

    [Fact]
    public async Task Open_WithFsync_WritesAndReplaysTheSameEntries()
    {
        var journal = LedgerJournal.Open(JournalDir, fsync: true);
        journal.Append(Entry("req_synced") with { Cost = 0.5m });

        journal.Dispose();
        await using var ledger = new SqliteLedger(DatabasePath, LedgerJournal.Open(JournalDir));
        var entry = Assert.Single((await ledger.QueryAsync(new LedgerQuery())).Entries);
        Assert.Equal("req_synced", entry.Id);
        Assert.Equal(0.5m, entry.Cost);
    }

    [Fact]
    public async Task Append_FromManyThreadsAtOnce_WritesEveryLineWholeOnceInQueueOrder()
    {
        // Group commit: concurrent appenders share writes; each line must still be whole, present once, and in the
        // file in the order the entries were queued (the checkpoint is a count of that order).
        var queued = new List<string>();
        var journal = LedgerJournal.Open(JournalDir, segmentBytes: 8 * 1024);
        const int Threads = 8;
        const int PerThread = 250;
        var failed = 0;
        await Task.WhenAll(Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                // Called under the journal's lock, so the list needs no lock of its own.
                if (!journal.Append(Entry($"req_{t}_{i}"), e =>
                {
                    queued.Add(e.Id);
                    return true;
                }))
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })));

        Assert.Equal(0, failed);
        Assert.Equal(Threads * PerThread, journal.Pending);

        // Read back as a new process would, while this journal still holds its live segment: close it unstored first.
        journal.Dispose();
        var files = Directory.GetFiles(JournalDir, "*" + LedgerJournal.Extension);
        Assert.True(files.Length > 1, "the small segment size should have started several segments");
        var reopened = LedgerJournal.Open(JournalDir);
        Assert.Equal(0, reopened.SkippedLines);
        Assert.Equal(queued, reopened.Recovered.Select(e => e.Id));
        Assert.Equal(Threads * PerThread, queued.Distinct().Count());
        reopened.Dispose();
    }

    private static LedgerEntry Entry(string id) => new()
    {
        Id = id,
        Time = T0,
        KeyId = "tg_k",
        Endpoint = "chat",
        Model = "demo/priced",
        Status = 200,
        LatencyMs = 12.5,
        InputTokens = 10,
        OutputTokens = 20,
    };
}
