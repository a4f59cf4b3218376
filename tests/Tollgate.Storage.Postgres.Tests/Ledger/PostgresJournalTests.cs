using System.Net;
using System.Net.Sockets;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Postgres.Ledger;

namespace Tollgate.Storage.Postgres.Tests.Ledger;

/// <summary>
/// The journal in front of PostgreSQL: while the database cannot be reached the entries wait in it (the writer keeps
/// retrying), and when the instance is gone they reach the database at the next start, each stored once.
/// </summary>
public sealed class PostgresJournalTests : IDisposable
{
    private static readonly DateTimeOffset s_day = new(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tollgate-pg-journal-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Outage_ThenRestartOnTheRealDatabase_StoresEveryJournaledEntryOnce()
    {
        var (test, db) = await TestDatabase.CreateMigratedAsync();
        await using (test)
        await using (db)
        {
            // Some entries were stored before the outage (and are in the journal too): the replay must skip them.
            await using (var before = new PostgresLedger(db.DataSource))
            {
                for (var i = 0; i < 10; i++)
                {
                    before.Append(PostgresLedgerTests.Entry("req_" + i, s_day.AddMinutes(i), "k", 0.01m));
                }
            }

            // An instance whose database is a port nothing listens on: every batch fails and is retried.
            var errors = 0;
            var journal = LedgerJournal.Open(_dir);
            await using var away = PostgresDatabase.Open($"Host=127.0.0.1;Port={DeadPort()};Username=tollgate;Password=x;Database=none;Timeout=1");
            var outage = new PostgresLedger(away.DataSource, _ => Interlocked.Increment(ref errors), journal);
            for (var i = 0; i < 100; i++)
            {
                outage.Append(PostgresLedgerTests.Entry("req_" + i, s_day.AddMinutes(i), "k", 0.01m));
            }

            while (Volatile.Read(ref errors) < 2)
            {
                await Task.Delay(50);
            }

            Assert.Equal(100, outage.Pending);

            // The instance dies with its entries unstored (its writer is never drained); its journal stays on disk.
            journal.Dispose();
            Assert.NotEmpty(Directory.GetFiles(_dir, "*" + LedgerJournal.Extension));

            // The next start, on the real database: the journal is stored before anything else is read.
            var reopened = LedgerJournal.Open(_dir);
            Assert.Equal(100, reopened.Recovered.Count);
            await using (var after = new PostgresLedger(db.DataSource, journal: reopened))
            {
                var usage = Assert.Single(await after.SummarizeAsync(new UsageQuery { KeyId = "k" }));
                Assert.Equal(100, usage.Requests);
                Assert.Equal(1.00m, usage.Cost);
                Assert.Equal(0, after.Pending);
            }

            Assert.Equal(100L, await test.ScalarAsync<long>("SELECT count(*) FROM ledger"));
            Assert.Empty(Directory.GetFiles(_dir, "*" + LedgerJournal.Extension));
        }
    }

    [Fact]
    public async Task Outage_ThenTheDatabaseAnswers_TheSameInstanceStoresTheJournaledEntries()
    {
        await using var test = await TestDatabase.CreateAsync();

        // The ledger's database does not exist yet: every write fails until it does.
        var missing = test.Name + "_later";
        var url = test.Url[..test.Url.LastIndexOf('/')] + "/" + missing;
        var errors = 0;
        await using var db = PostgresDatabase.Open(url);
        var journal = LedgerJournal.Open(_dir);
        await using (var ledger = new PostgresLedger(db.DataSource, _ => Interlocked.Increment(ref errors), journal))
        {
            for (var i = 0; i < 50; i++)
            {
                ledger.Append(PostgresLedgerTests.Entry("req_" + i, s_day.AddMinutes(i), "k", 0.02m));
            }

            while (Volatile.Read(ref errors) < 2)
            {
                await Task.Delay(50);
            }

            Assert.Equal(50, ledger.Pending);
            var segment = Assert.Single(Directory.GetFiles(_dir, "*" + LedgerJournal.Extension));
            Assert.Equal(50, File.ReadAllLines(segment).Length);

            await test.ExecuteAsync($"CREATE DATABASE {missing}");
            try
            {
                await db.MigrateAsync();
                await ledger.FlushAsync();
                Assert.Equal(0, ledger.Pending);
                Assert.Equal(1.00m, Assert.Single(await ledger.SummarizeAsync(new UsageQuery())).Cost);

                // Everything stored: closing the ledger leaves no journal to replay.
                await ledger.DisposeAsync();
                Assert.Empty(Directory.GetFiles(_dir, "*" + LedgerJournal.Extension));
            }
            finally
            {
                await CloseAndDropAsync(ledger, db, test, missing);
            }
        }
    }

    [Fact]
    public async Task Outage_LongerThanTheQueue_RequestsDoNotWait_AndEveryEntryIsStoredOnceWhenTheDatabaseIsBack()
    {
        await using var test = await TestDatabase.CreateAsync();

        // The database does not exist until later: every write fails meanwhile, far past the queue's 65,536 entries.
        const int Count = 80_000;
        var missing = test.Name + "_later";
        var url = test.Url[..test.Url.LastIndexOf('/')] + "/" + missing;
        await using var db = PostgresDatabase.Open(url);
        var ledger = new PostgresLedger(db.DataSource, journal: LedgerJournal.Open(_dir));
        try
        {
            // Guarded only so a regression fails instead of hanging (appends that waited for the queue never return).
            await Task.Run(() =>
            {
                for (var i = 0; i < Count; i++)
                {
                    ledger.Append(PostgresLedgerTests.Entry("req_" + i, s_day.AddSeconds(i), "k", 0.001m));
                }
            }).WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Equal(Count, ledger.Pending);

            await test.ExecuteAsync($"CREATE DATABASE {missing}");
            await db.MigrateAsync();
            await ledger.FlushAsync();

            Assert.Equal(0, ledger.Pending);
            var usage = Assert.Single(await ledger.SummarizeAsync(new UsageQuery { KeyId = "k" }));
            Assert.Equal(Count, usage.Requests);
            Assert.Equal(Count * 0.001m, usage.Cost);
            await ledger.DisposeAsync();
            Assert.Empty(Directory.GetFiles(_dir, "*" + LedgerJournal.Extension));
        }
        finally
        {
            await CloseAndDropAsync(ledger, db, test, missing);
        }
    }

    /// <summary>Closes the ledger and its pool, then drops the database that was created late.</summary>
    private static async Task CloseAndDropAsync(PostgresLedger ledger, PostgresDatabase db, TestDatabase test, string database)
    {
        await ledger.DisposeAsync();
        await db.DataSource.DisposeAsync();
        Npgsql.NpgsqlConnection.ClearAllPools();
        await test.ExecuteAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
    }

    private static int DeadPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
