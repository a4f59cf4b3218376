using System.Globalization;
using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Tests.Admin;

/// <summary>The SQLite ledger's dashboard queries on entries with known times, costs and latencies.</summary>
public sealed class LedgerQueryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tollgate-ledger-" + Guid.NewGuid().ToString("N"));
    private SqliteLedger _ledger = null!;

    public Task InitializeAsync()
    {
        _ledger = new SqliteLedger(Path.Combine(_dir, "tollgate.db"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _ledger.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task SeriesAsync_CostsThatDoublesCannotAdd_SumsExactlyPerHourAndModel()
    {
        // 0.1 + 0.2 is 0.30000000000000004 in doubles; 1e-18 vanishes next to 1 in a double.
        Append(T0.AddMinutes(5), "a/x", 0.1m);
        Append(T0.AddMinutes(50), "a/x", 0.2m);
        Append(T0.AddMinutes(59), "b/y", 1m);
        Append(T0.AddMinutes(59), "b/y", 0.000000000000000001m);
        Append(T0.AddHours(1).AddSeconds(1), "a/x", 0.000123456789012345m);
        Append(T0.AddHours(3), "a/x", 5m); // outside [From, To)

        var rows = await _ledger.SeriesAsync(new SeriesQuery { From = T0, To = T0.AddHours(3), GroupBy = UsageGroup.Model });

        Assert.Equal(
            [(T0, "a/x", 2L, 0.3m), (T0, "b/y", 2L, 1.000000000000000001m), (T0.AddHours(1), "a/x", 1L, 0.000123456789012345m)],
            rows.Select(r => (r.Start, r.Usage.Group, r.Usage.Requests, r.Usage.Cost)).ToArray());
    }

    [Fact]
    public async Task SeriesAsync_DayBuckets_OneKey_CountsFailuresAndTokens()
    {
        Append(T0, "a/x", 1m, key: "tg-aaaaa");
        Append(T0.AddHours(13), "a/x", null, key: "tg-aaaaa", status: 429);
        Append(T0.AddDays(1), "a/x", 2m, key: "tg-aaaaa");
        Append(T0, "a/x", 7m, key: "tg-bbbbb");

        var rows = await _ledger.SeriesAsync(new SeriesQuery { From = T0.AddDays(-1), To = T0.AddDays(2), KeyId = "tg-aaaaa", Bucket = SeriesBucket.Day });

        Assert.Equal(2, rows.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero), rows[0].Start);
        Assert.Null(rows[0].Usage.Group);
        Assert.Equal((2L, 1L, 20L, 10L, 1m), (rows[0].Usage.Requests, rows[0].Usage.FailedRequests, rows[0].Usage.InputTokens, rows[0].Usage.OutputTokens, rows[0].Usage.Cost));
        Assert.Equal((1L, 2m), (rows[1].Usage.Requests, rows[1].Usage.Cost));
    }

    [Fact]
    public async Task LatencyAsync_NearestRankPercentiles_OverSuccessesOnly()
    {
        // Successes take 1..100 ms (shuffled), streams among them report a first token at a tenth of that.
        foreach (var ms in Enumerable.Range(1, 100).OrderBy(i => (i * 37) % 101))
        {
            Append(T0, "a/x", 0.01m, provider: "a", latency: ms, ttft: ms % 2 == 0 ? ms / 10.0 : null);
        }

        // Slow failures must not move the percentiles, only the error count.
        for (var i = 0; i < 10; i++)
        {
            Append(T0, "a/x", null, provider: "a", status: 502, latency: 60_000);
        }

        Append(T0, "b/y", null, provider: "b", status: 500, latency: 5);

        var rows = await _ledger.LatencyAsync(new UsageQuery { From = T0, GroupBy = UsageGroup.Provider });

        var a = Assert.Single(rows, r => r.Group == "a");
        Assert.Equal((110L, 10L), (a.Requests, a.FailedRequests));
        Assert.Equal((50d, 90d, 99d), (a.LatencyP50Ms, a.LatencyP90Ms, a.LatencyP99Ms));

        // 50 streams with first tokens 0.2, 0.4, ... 10: ranks 25, 45 and 50.
        Assert.Equal((5d, 9d, 10d), (a.TtftP50Ms, a.TtftP90Ms, a.TtftP99Ms));
        var b = Assert.Single(rows, r => r.Group == "b");
        Assert.Equal((1L, 1L), (b.Requests, b.FailedRequests));
        Assert.Null(b.LatencyP50Ms);
        Assert.Null(b.TtftP99Ms);
    }

    [Fact]
    public async Task QueryAsync_FiltersAndCursor_WalkEveryMatchOnceNewestFirst()
    {
        for (var i = 0; i < 7; i++)
        {
            Append(T0.AddMinutes(i), i % 2 == 0 ? "a/x" : "b/y", 0.01m, id: $"req_{i}", status: i == 3 ? 404 : 200);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await _ledger.QueryAsync(new LedgerQuery { Model = "a/x", Limit = 2, Cursor = cursor });
            seen.AddRange(page.Entries.Select(e => e.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(["req_6", "req_4", "req_2", "req_0"], seen);
        Assert.Equal(2, pages);
        Assert.Equal(["req_3"], (await _ledger.QueryAsync(new LedgerQuery { MinStatus = 400 })).Entries.Select(e => e.Id));
        Assert.Equal(["req_5", "req_4"], (await _ledger.QueryAsync(new LedgerQuery { From = T0.AddMinutes(4), To = T0.AddMinutes(6) })).Entries.Select(e => e.Id));
        var one = Assert.Single((await _ledger.QueryAsync(new LedgerQuery { Id = "req_1" })).Entries);
        Assert.Equal((0.01m, "b/y", 10L, 5L), (one.Cost, one.Model, one.InputTokens, one.OutputTokens));
        Assert.Null((await _ledger.QueryAsync(new LedgerQuery { Limit = 7 })).NextCursor);
    }

    private int _n;

    private void Append(DateTimeOffset time, string model, decimal? cost, string? key = null, int status = 200, string? provider = null, double latency = 10, double? ttft = null, string? id = null) =>
        _ledger.Append(new LedgerEntry
        {
            Id = id ?? "req_" + (++_n).ToString(CultureInfo.InvariantCulture),
            Time = time,
            KeyId = key,
            Endpoint = "chat",
            Provider = provider ?? model.Split('/')[0],
            Model = model,
            Stream = ttft is not null,
            Status = status,
            LatencyMs = latency,
            TtftMs = ttft,
            InputTokens = 10,
            OutputTokens = 5,
            Cost = cost,
        });
}
