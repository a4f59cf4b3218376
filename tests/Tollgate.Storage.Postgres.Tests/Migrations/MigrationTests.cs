using Tollgate.Storage.Ledger;
using Tollgate.Storage.Postgres.Ledger;
using Tollgate.Storage.Postgres.Migrations;

namespace Tollgate.Storage.Postgres.Tests.Migrations;

public sealed class MigrationTests
{
    [Fact]
    public async Task MigrateAsync_EmptyDatabase_AppliesEveryVersionOnce()
    {
        await using var test = await TestDatabase.CreateAsync();
        await using var db = PostgresDatabase.Open(test.Url);

        var first = await db.MigrateAsync();
        var second = await db.MigrateAsync();

        Assert.Equal(Migration.All.Select(m => m.Version), first.Select(m => m.Version));
        Assert.Empty(second);
        Assert.Equal(Migration.All.Select(m => m.Version), await db.AppliedAsync());
        Assert.Equal(0L, await test.ScalarAsync<long>("SELECT count(*) FROM ledger"));
    }

    [Fact]
    public async Task MigrateAsync_InstancesStartingTogether_ApplyEachVersionOnce()
    {
        await using var test = await TestDatabase.CreateAsync();
        var dbs = Enumerable.Range(0, 4).Select(_ => PostgresDatabase.Open(test.Url)).ToArray();

        var applied = await Task.WhenAll(dbs.Select(d => d.MigrateAsync()));

        Assert.Equal(Migration.All.Count, applied.Sum(a => a.Count));
        Assert.Equal((long)Migration.All.Count, await test.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
        foreach (var d in dbs)
        {
            await d.DisposeAsync();
        }
    }

    [Fact]
    public async Task MigrateAsync_FromVersion1WithRows_KeepsThemAndSumsThemFromTheDailyTable()
    {
        await using var test = await TestDatabase.CreateAsync();
        await using var db = PostgresDatabase.Open(test.Url);
        await PostgresMigrator.MigrateAsync(db.DataSource, Migration.All.Where(m => m.Version == 1).ToArray(), CancellationToken.None);
        await test.ExecuteAsync("""
            INSERT INTO ledger (id, time, key_id, endpoint, provider, model, stream, status, latency_ms, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost, estimated, unpriced)
            VALUES ('a', '2026-10-03T10:00:00Z', 'k1', 'chat', 'openai', 'gpt-4o', false, 200, 5, 10, 0, 0, 20, 0, 0.000123456789012345, false, false),
                   ('b', '2026-10-04T10:00:00Z', 'k1', 'chat', 'openai', 'gpt-4o', false, 500, 5, 1, 0, 0, 0, 0, NULL, false, false),
                   ('c', '2026-10-04T11:00:00Z', NULL, 'chat', 'openai', 'gpt-4o', false, 200, 5, 3, 0, 0, 4, 0, 1.5, false, false)
            """);

        var applied = await db.MigrateAsync();
        await using var ledger = new PostgresLedger(db.DataSource);
        var byKey = await ledger.SummarizeAsync(new UsageQuery { From = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), GroupBy = UsageGroup.Key });

        Assert.Equal(Migration.All.Select(m => m.Version).Where(v => v > 1), applied.Select(m => m.Version));
        Assert.Equal(3L, await test.ScalarAsync<long>("SELECT sum(requests)::bigint FROM usage_daily"));
        Assert.Equal(2, byKey.Count);
        Assert.Null(byKey[0].Group);
        Assert.Equal(1.5m, byKey[0].Cost);
        Assert.Equal("k1", byKey[1].Group);
        Assert.Equal(2, byKey[1].Requests);
        Assert.Equal(1, byKey[1].FailedRequests);
        Assert.Equal(0.000123456789012345m, byKey[1].Cost);
    }

    [Fact]
    public async Task MigrateAsync_FromVersion2WithRows_ReadsThemBackWithoutListCostAttemptsOrOverReserved()
    {
        await using var test = await TestDatabase.CreateAsync();
        await using var db = PostgresDatabase.Open(test.Url);
        await PostgresMigrator.MigrateAsync(db.DataSource, Migration.All.Where(m => m.Version <= 2).ToArray(), CancellationToken.None);
        await test.ExecuteAsync("""
            INSERT INTO ledger (id, time, key_id, endpoint, provider, model, stream, status, latency_ms, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost, estimated, unpriced)
            VALUES ('old', '2026-10-03T10:00:00Z', 'k1', 'chat', 'openai', 'gpt-4o', false, 200, 5, 10, 0, 0, 20, 0, 0.25, false, false)
            """);

        var applied = await db.MigrateAsync();
        await using var ledger = new PostgresLedger(db.DataSource);
        var old = (await ledger.RecentAsync(10)).Single();

        Assert.Equal(Migration.All.Select(m => m.Version).Where(v => v > 2), applied.Select(m => m.Version));
        Assert.Equal(("old", 0.25m), (old.Id, old.Cost));
        Assert.Null(old.ListCost);
        Assert.Null(old.OverReserved);
        Assert.Empty(old.Attempts);
    }

    [Fact]
    public async Task MigrateAsync_FromVersion3_AddsTheResponsesTableAndKeepsTheLedger()
    {
        await using var test = await TestDatabase.CreateAsync();
        await using var db = PostgresDatabase.Open(test.Url);
        await PostgresMigrator.MigrateAsync(db.DataSource, Migration.All.Where(m => m.Version <= 3).ToArray(), CancellationToken.None);
        await test.ExecuteAsync("""
            INSERT INTO ledger (id, time, key_id, endpoint, provider, model, stream, status, latency_ms, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost, estimated, unpriced)
            VALUES ('kept', '2026-10-03T10:00:00Z', 'k1', 'chat', 'openai', 'gpt-4o', false, 200, 5, 10, 0, 0, 20, 0, 0.25, false, false)
            """);

        var applied = await db.MigrateAsync();

        Assert.Equal(Migration.All.Select(m => m.Version).Where(v => v > 3), applied.Select(m => m.Version));
        Assert.Equal(0L, await test.ScalarAsync<long>("SELECT count(*) FROM responses"));
        Assert.Equal(1L, await test.ScalarAsync<long>("SELECT count(*) FROM ledger"));
    }
}
