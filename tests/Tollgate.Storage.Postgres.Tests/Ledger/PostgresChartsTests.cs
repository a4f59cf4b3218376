using Tollgate.Storage.Ledger;
using Tollgate.Storage.Postgres.Ledger;

namespace Tollgate.Storage.Postgres.Tests.Ledger;

/// <summary>
/// The dashboard's charts on PostgreSQL (usage per hour or day, latency percentiles) answer exactly what SQLite's
/// answer for the same entries, for every grouping, range and key; and the percentiles are nearest-rank.
/// </summary>
public sealed class PostgresChartsTests
{
    private static readonly DateTimeOffset s_day = new(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SeriesAndLatency_RandomEntries_MatchTheSqliteLedgerForEveryQuery()
    {
        var (test, db) = await TestDatabase.CreateMigratedAsync();
        var dir = Path.Combine(Path.GetTempPath(), "tollgate-charts-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            await using (test)
            await using (db)
            await using (var postgres = new PostgresLedger(db.DataSource))
            await using (var sqlite = new SqliteLedger(Path.Combine(dir, "tollgate.db")))
            {
                var random = new Random(11);
                string?[] keys = [null, "k1", "k2"];
                string?[] models = [null, "openai/gpt-4o", "groq/llama", "anthropic/claude"];
                for (var i = 0; i < 2000; i++)
                {
                    var model = models[random.Next(models.Length)];
                    var stream = random.Next(2) == 0;
                    var e = new LedgerEntry
                    {
                        Id = "req_" + i,
                        Time = s_day.AddMinutes(random.Next(0, 3 * 24 * 60)).AddTicks(random.Next(0, 1_000_000) * 10L),
                        KeyId = keys[random.Next(keys.Length)],
                        Endpoint = "chat",
                        Provider = model?.Split('/')[0],
                        Model = model,
                        Stream = stream,
                        Status = random.Next(8) == 0 ? 502 : 200,
                        LatencyMs = Math.Round(random.NextDouble() * 5000, 3),
                        TtftMs = stream && random.Next(10) > 0 ? Math.Round(random.NextDouble() * 800, 3) : null,
                        InputTokens = random.Next(0, 5000),
                        CacheReadTokens = random.Next(0, 100),
                        CacheWriteTokens = random.Next(0, 100),
                        OutputTokens = random.Next(0, 2000),
                        ReasoningTokens = random.Next(0, 50),
                        Cost = random.Next(8) == 0 ? null : random.Next(1, 1_000_000) * 0.000000001234567m,
                        Unpriced = random.Next(20) == 0,
                    };
                    postgres.Append(e);
                    sqlite.Append(e);
                }

                (DateTimeOffset From, DateTimeOffset To)[] ranges =
                [
                    (s_day.AddDays(-1), s_day.AddDays(5)),
                    (s_day.AddHours(13).AddMinutes(7), s_day.AddDays(2).AddSeconds(1)),
                    (s_day.AddHours(5), s_day.AddHours(6)),
                ];
                var queries = 0;
                foreach (var (from, to) in ranges)
                {
                    foreach (var key in new[] { null, "k2" })
                    {
                        foreach (var group in Enum.GetValues<UsageGroup>())
                        {
                            foreach (var bucket in Enum.GetValues<SeriesBucket>())
                            {
                                var series = new SeriesQuery { From = from, To = to, KeyId = key, Bucket = bucket, GroupBy = group };
                                var expected = await sqlite.SeriesAsync(series);
                                Assert.NotEmpty(expected);
                                Assert.Equal(expected, await postgres.SeriesAsync(series));
                                queries++;
                            }

                            foreach (var master in key is null ? new[] { false, true } : [false])
                            {
                                var latency = new UsageQuery { From = from, To = to, KeyId = key, GroupBy = group, MasterOnly = master };
                                var expected = await sqlite.LatencyAsync(latency);
                                Assert.NotEmpty(expected);
                                Assert.Equal(expected, await postgres.LatencyAsync(latency));
                                queries++;
                            }
                        }
                    }
                }

                // Open-ended latency (the dashboard's "all time") too.
                Assert.Equal(await sqlite.LatencyAsync(new UsageQuery { GroupBy = UsageGroup.Model }), await postgres.LatencyAsync(new UsageQuery { GroupBy = UsageGroup.Model }));
                Assert.True(queries > 80, $"{queries} queries compared");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task LatencyAsync_KnownValues_AreNearestRankOverSuccessesOnly()
    {
        var (test, db) = await TestDatabase.CreateMigratedAsync();
        await using (test)
        await using (db)
        await using (var ledger = new PostgresLedger(db.DataSource))
        {
            // Ten successes at 1..10 ms (streamed ones with a first token at a tenth of that), and two slow failures.
            for (var i = 1; i <= 10; i++)
            {
                ledger.Append(PostgresLedgerTests.Entry("ok_" + i, s_day.AddMinutes(i), "k", 0.001m) with { LatencyMs = i, Stream = i % 2 == 0, TtftMs = i % 2 == 0 ? i / 10.0 : null });
            }

            ledger.Append(PostgresLedgerTests.Entry("fail_1", s_day.AddMinutes(20), "k", null) with { Status = 500, LatencyMs = 9000 });
            ledger.Append(PostgresLedgerTests.Entry("fail_2", s_day.AddMinutes(21), "k", null) with { Status = 429, LatencyMs = 8000 });

            var row = Assert.Single(await ledger.LatencyAsync(new UsageQuery { From = s_day, To = s_day.AddDays(1) }));
            Assert.Equal(new LatencyRow { Requests = 12, FailedRequests = 2, LatencyP50Ms = 5, LatencyP90Ms = 9, LatencyP99Ms = 10, TtftP50Ms = 0.6, TtftP90Ms = 1.0, TtftP99Ms = 1.0 }, row);

            var hours = await ledger.SeriesAsync(new SeriesQuery { From = s_day, To = s_day.AddDays(1), Bucket = SeriesBucket.Hour, GroupBy = UsageGroup.Key });
            var bucket = Assert.Single(hours);
            Assert.Equal(s_day, bucket.Start);
            Assert.Equal(TimeSpan.Zero, bucket.Start.Offset);
            Assert.Equal(("k", 12L, 2L, 0.010m), (bucket.Usage.Group, bucket.Usage.Requests, bucket.Usage.FailedRequests, bucket.Usage.Cost));
        }
    }
}
