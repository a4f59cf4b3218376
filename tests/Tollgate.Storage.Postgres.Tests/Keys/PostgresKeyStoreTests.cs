using System.Diagnostics;
using Tollgate.Storage.Keys;
using Tollgate.Storage.Postgres.Keys;

namespace Tollgate.Storage.Postgres.Tests.Keys;

public sealed class PostgresKeyStoreTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 20, 8, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task TryInsertAsync_ThenFind_RoundTripsEverySetting()
    {
        var (test, db) = await TestDatabase.CreateMigratedAsync();
        await using (test)
        await using (db)
        {
            var store = new PostgresKeyStore(db.DataSource);
            var key = Full("tg-aaaaa");

            Assert.True(await store.TryInsertAsync(key));
            var found = await store.FindAsync("tg-aaaaa");

            Assert.NotNull(found);
            Assert.Equal(key.Scopes, found.Scopes);
            Assert.Equal(key.AllowedModels, found.AllowedModels);
            Assert.Equal(key.Metadata.OrderBy(p => p.Key), found.Metadata.OrderBy(p => p.Key));
            Assert.Equal(key with { Scopes = found.Scopes, AllowedModels = found.AllowedModels, Metadata = found.Metadata }, found);
        }
    }

    [Fact]
    public async Task TryInsertAsync_TakenPrefixOrHash_ReturnsFalse()
    {
        var (test, db) = await TestDatabase.CreateMigratedAsync();
        await using (test)
        await using (db)
        {
            var store = new PostgresKeyStore(db.DataSource);
            Assert.True(await store.TryInsertAsync(Bare("tg-bbbbb", "h1")));

            Assert.False(await store.TryInsertAsync(Bare("tg-bbbbb", "h2")));
            Assert.False(await store.TryInsertAsync(Bare("tg-ccccc", "h1")));
            Assert.Single(await store.ListAsync());
        }
    }

    [Fact]
    public async Task UpdateAsync_ChangesSettingsAndVersion_DeletedKeysListedOnlyOnRequest()
    {
        var (test, db) = await TestDatabase.CreateMigratedAsync();
        await using (test)
        await using (db)
        {
            var store = new PostgresKeyStore(db.DataSource);
            await store.TryInsertAsync(Full("tg-ddddd"));
            await store.TryInsertAsync(Bare("tg-eeeee", "h2"));
            var before = await store.VersionAsync();

            var changed = (await store.FindAsync("tg-ddddd"))! with { Rpm = null, Threshold = 0.25m, Disabled = true, DeletedAt = s_now.AddHours(1), Metadata = new Dictionary<string, string>() };
            Assert.True(await store.UpdateAsync(changed));
            Assert.False(await store.UpdateAsync(Bare("tg-zzzzz", "nope")));

            Assert.True(await store.VersionAsync() > before);
            Assert.Equal(["tg-eeeee"], (await store.ListAsync()).Select(k => k.Prefix));
            var all = await store.ListAsync(includeDeleted: true);
            Assert.Equal(["tg-ddddd", "tg-eeeee"], all.Select(k => k.Prefix));
            Assert.Null(all[0].Rpm);
            Assert.Equal(0.25m, all[0].Threshold);
            Assert.Empty(all[0].Metadata);
        }
    }

    [Fact]
    public async Task WatchAsync_ChangeByAnotherConnection_IsHeardWithinASecond()
    {
        var (test, db) = await TestDatabase.CreateMigratedAsync();
        await using (test)
        await using (db)
        await using (var other = PostgresDatabase.Open(test.ConnectionString))
        {
            var listener = new PostgresKeyStore(db.DataSource);
            var writer = new PostgresKeyStore(other.DataSource);
            using var heard = new SemaphoreSlim(0);
            using var stop = new CancellationTokenSource();
            var watch = listener.WatchAsync(() => heard.Release(), stop.Token);

            // LISTEN runs before the first change can be missed: wait for the connection to be listening.
            while (await test.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'") == 0)
            {
                await Task.Delay(20);
            }

            var clock = Stopwatch.StartNew();
            await writer.TryInsertAsync(Bare("tg-fffff", "h3"));
            Assert.True(await heard.WaitAsync(TimeSpan.FromSeconds(1)), "no notice within a second of the change");
            var latency = clock.Elapsed;

            // A change made by hand in SQL notifies too (the trigger, not the store, sends it).
            await test.ExecuteAsync("UPDATE keys SET disabled = true");
            Assert.True(await heard.WaitAsync(TimeSpan.FromSeconds(1)));

            await stop.CancelAsync();
            await watch;
            Console.WriteLine($"key change notice after {latency.TotalMilliseconds:F1} ms");
        }
    }

    private static VirtualKey Bare(string prefix, string hash) => new() { Prefix = prefix, Hash = hash, CreatedAt = s_now, UpdatedAt = s_now };

    private static VirtualKey Full(string prefix) => new()
    {
        Prefix = prefix,
        Hash = "0f" + prefix,
        Name = "search team",
        Scopes = ["model:chat", "model:embedding"],
        Retention = KeyRetention.Month,
        Threshold = 12.345678901234m,
        Rpm = 60,
        Tpm = 100_000,
        MaxParallel = 4,
        ClampMinOutput = 2_000,
        AllowedModels = ["groq/*", "openai/gpt-4o*"],
        ExpiresAt = s_now.AddDays(30),
        Metadata = new Dictionary<string, string> { ["team"] = "search", ["owner"] = "ana \"a\" ü" },
        CreatedAt = s_now,
        UpdatedAt = s_now.AddMinutes(1),
    };
}
