using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Tollgate.Storage.Ledger;

namespace Tollgate.Benchmarks.Ledger;

/// <summary>
/// What the SQLite ledger's background writer spends per entry: a batch of <see cref="Batch"/> entries appended and
/// flushed through <see cref="SqliteLedger"/> (one transaction, one statement bound by position with SQLite's own
/// API), against the baseline of the same rows inserted as the writer did before, one Microsoft.Data.Sqlite command
/// with 22 named parameters executed per row, into the same table in one transaction. Ids are new per operation so
/// every row is inserted, not skipped as already stored.
/// </summary>
[MemoryDiagnoser]
public class SqliteLedgerWriteBenchmarks
{
    private const int Batch = 256;

    private static readonly string[] s_names = ["$id", "$time", "$key", "$endpoint", "$provider", "$model", "$stream", "$status", "$error", "$latency", "$ttft", "$in", "$cr", "$cw", "$out", "$reasoning", "$cost", "$estimated", "$unpriced", "$list_cost", "$attempts", "$over_reserved"];

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tollgate-bench-sqlite-" + Guid.NewGuid().ToString("N"));
    private SqliteLedger _ledger = null!;
    private string _connectionString = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "tollgate.db");
        _ledger = new SqliteLedger(path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ledger.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "Microsoft.Data.Sqlite command per row", OperationsPerInvoke = Batch)]
    public void CommandPerRow()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var tx = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "INSERT OR IGNORE INTO ledger (id, time, key_id, endpoint, provider, model, stream, status, error_type, latency_ms, ttft_ms, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost, estimated, unpriced, list_cost, attempts, over_reserved) VALUES ($id, $time, $key, $endpoint, $provider, $model, $stream, $status, $error, $latency, $ttft, $in, $cr, $cw, $out, $reasoning, $cost, $estimated, $unpriced, $list_cost, $attempts, $over_reserved)";
        var p = command.Parameters;
        foreach (var n in s_names)
        {
            p.Add(new SqliteParameter { ParameterName = n });
        }

        command.Prepare();
        for (var i = 0; i < Batch; i++)
        {
            var e = Entry();
            p[0].Value = e.Id;
            p[1].Value = e.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
            p[2].Value = e.KeyId;
            p[3].Value = e.Endpoint;
            p[4].Value = e.Provider;
            p[5].Value = e.Model;
            p[6].Value = e.Stream ? 1 : 0;
            p[7].Value = e.Status;
            p[8].Value = DBNull.Value;
            p[9].Value = e.LatencyMs;
            p[10].Value = e.TtftMs!.Value;
            p[11].Value = e.InputTokens;
            p[12].Value = e.CacheReadTokens;
            p[13].Value = e.CacheWriteTokens;
            p[14].Value = e.OutputTokens;
            p[15].Value = e.ReasoningTokens;
            p[16].Value = e.Cost!.Value.ToString(CultureInfo.InvariantCulture);
            p[17].Value = 0;
            p[18].Value = 0;
            p[19].Value = DBNull.Value;
            p[20].Value = LedgerAttemptJson.Serialize(e.Attempts);
            p[21].Value = DBNull.Value;
            command.ExecuteNonQuery();
        }

        tx.Commit();
    }

    [Benchmark(Description = "SqliteLedger: statement bound by position", OperationsPerInvoke = Batch)]
    public void LedgerBatch()
    {
        for (var i = 0; i < Batch; i++)
        {
            _ledger.Append(Entry());
        }

        _ledger.FlushAsync().GetAwaiter().GetResult();
    }

    private LedgerEntry Entry() => new()
    {
        Id = "req_" + (++_next).ToString("D12", CultureInfo.InvariantCulture),
        Time = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero).AddMilliseconds(_next),
        KeyId = "tg-AbCdE",
        Endpoint = "chat",
        Provider = "openai",
        Model = "openai/gpt-4o-mini",
        Stream = false,
        Status = 200,
        LatencyMs = 812.25,
        TtftMs = 240.5,
        InputTokens = 1200,
        OutputTokens = 350,
        Cost = 0.00039m,
        Attempts = [new LedgerAttempt("openai", "gpt-4o-mini", 200, null, 240.5)],
    };
}
