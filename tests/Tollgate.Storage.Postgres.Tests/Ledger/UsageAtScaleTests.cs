using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Postgres.Ledger;
using Xunit.Abstractions;

namespace Tollgate.Storage.Postgres.Tests.Ledger;

/// <summary>
/// /v1/usage-style sums on a ledger of one million rows (200 keys, 12 models, 60 days): the answers match a plain
/// SUM over the rows, and the times are printed (a measurement, not an assertion), with the dashboard's series and
/// latency queries over a week.
/// </summary>
public sealed class UsageAtScaleTests(ITestOutputHelper output)
{
    private const int Rows = 1_000_000;
    private static readonly DateTimeOffset s_start = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SummarizeAsync_OneMillionRows_MatchesPlainSumsAndIsTimed()
    {
        var (test, db) = await TestDatabase.CreateMigratedAsync();
        await using (test)
        await using (db)
        {
            var load = Stopwatch.StartNew();
            await LoadAsync(db.DataSource);
            await test.ExecuteAsync("ANALYZE");
            output.WriteLine($"loaded {Rows:N0} rows with COPY in {load.Elapsed.TotalSeconds:F1} s; usage_daily holds {await test.ScalarAsync<long>("SELECT count(*) FROM usage_daily"):N0} rows");

            await using var ledger = new PostgresLedger(db.DataSource);
            var month = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
            var cases = new (string Name, UsageQuery Query, string PlainSql)[]
            {
                ("this month by key (GET /v1/usage)", new UsageQuery { From = month, GroupBy = UsageGroup.Key },
                    "SELECT key_id, count(*), coalesce(sum(cost), 0) FROM ledger WHERE time >= '2026-11-01T00:00:00Z' GROUP BY key_id"),
                ("all time by model", new UsageQuery { GroupBy = UsageGroup.Model },
                    "SELECT model, count(*), coalesce(sum(cost), 0) FROM ledger GROUP BY model"),
                ("partial days, by day", new UsageQuery { From = s_start.AddDays(3).AddHours(7), To = s_start.AddDays(40).AddHours(15), GroupBy = UsageGroup.Day },
                    "SELECT to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD'), count(*), coalesce(sum(cost), 0) FROM ledger WHERE time >= '2026-10-04T07:00:00Z' AND time < '2026-11-10T15:00:00Z' GROUP BY 1"),
                ("one key this month (a budget's seed)", new UsageQuery { From = month, KeyId = "tg-k0042" },
                    "SELECT NULL::text, count(*), coalesce(sum(cost), 0) FROM ledger WHERE key_id = 'tg-k0042' AND time >= '2026-11-01T00:00:00Z'"),
            };

            foreach (var (name, query, plainSql) in cases)
            {
                var rows = await ledger.SummarizeAsync(query);
                var plain = await PlainAsync(db.DataSource, plainSql);
                Assert.Equal(plain.Sum(p => p.Requests), rows.Sum(r => r.Requests));
                Assert.Equal(plain.Sum(p => p.Cost), rows.Sum(r => r.Cost));
                Assert.Equal(plain.Count, rows.Count);

                var summarize = await MedianAsync(() => ledger.SummarizeAsync(query));
                var scan = await MedianAsync(() => PlainAsync(db.DataSource, plainSql));
                output.WriteLine($"{name}: {rows.Count} groups, {rows.Sum(r => r.Requests):N0} requests, ${rows.Sum(r => r.Cost)}; SummarizeAsync {summarize:F1} ms, plain SUM over ledger rows {scan:F1} ms");
            }

            // The dashboard's charts over its default range, a week (about 117,000 rows here).
            var week = new SeriesQuery { From = month.AddDays(-7), To = month, Bucket = SeriesBucket.Hour, GroupBy = UsageGroup.Model };
            var buckets = await ledger.SeriesAsync(week);
            Assert.Equal(7 * 24 * 12, buckets.Count);
            var latency = new UsageQuery { From = week.From, To = week.To, GroupBy = UsageGroup.Model };
            Assert.Equal(12, (await ledger.LatencyAsync(latency)).Count);
            output.WriteLine($"a week by hour and model: SeriesAsync {await MedianAsync(() => ledger.SeriesAsync(week)):F1} ms ({buckets.Count} buckets, {buckets.Sum(b => b.Usage.Requests):N0} requests); LatencyAsync by model {await MedianAsync(() => ledger.LatencyAsync(latency)):F1} ms");
        }
    }

    private static async Task<double> MedianAsync<T>(Func<Task<T>> run)
    {
        var times = new double[5];
        for (var i = 0; i < times.Length; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await run();
            times[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        }

        Array.Sort(times);
        return times[2];
    }

    private static async Task<List<(long Requests, decimal Cost)>> PlainAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(long, decimal)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(1), reader.GetDecimal(2)));
        }

        return rows;
    }

    private static async Task LoadAsync(NpgsqlDataSource dataSource)
    {
        var random = new Random(42);
        var span = TimeSpan.FromDays(60).Ticks;
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var import = await connection.BeginBinaryImportAsync(
            "COPY ledger (id, time, key_id, endpoint, provider, model, stream, status, latency_ms, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost, estimated, unpriced) FROM STDIN (FORMAT BINARY)");
        for (var i = 0; i < Rows; i++)
        {
            var model = random.Next(12);
            await import.StartRowAsync();
            await import.WriteAsync("req_" + i, NpgsqlDbType.Text);
            await import.WriteAsync(s_start.AddTicks((long)(random.NextDouble() * span)).UtcDateTime, NpgsqlDbType.TimestampTz);
            if (i % 50 == 0)
            {
                await import.WriteNullAsync();
            }
            else
            {
                await import.WriteAsync("tg-k" + random.Next(200).ToString("0000", System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Text);
            }

            await import.WriteAsync("chat", NpgsqlDbType.Text);
            await import.WriteAsync("p" + (model % 4), NpgsqlDbType.Text);
            await import.WriteAsync($"p{model % 4}/m{model}", NpgsqlDbType.Text);
            await import.WriteAsync(random.Next(3) == 0, NpgsqlDbType.Boolean);
            await import.WriteAsync(random.Next(20) == 0 ? 429 : 200, NpgsqlDbType.Integer);
            await import.WriteAsync(random.NextDouble() * 900, NpgsqlDbType.Double);
            await import.WriteAsync((long)random.Next(5000), NpgsqlDbType.Bigint);
            await import.WriteAsync((long)random.Next(500), NpgsqlDbType.Bigint);
            await import.WriteAsync(0L, NpgsqlDbType.Bigint);
            await import.WriteAsync((long)random.Next(1500), NpgsqlDbType.Bigint);
            await import.WriteAsync(0L, NpgsqlDbType.Bigint);
            await import.WriteAsync(random.Next(1, 10_000_000) * 0.0000000123m, NpgsqlDbType.Numeric);
            await import.WriteAsync(false, NpgsqlDbType.Boolean);
            await import.WriteAsync(false, NpgsqlDbType.Boolean);
        }

        await import.CompleteAsync();
    }
}
