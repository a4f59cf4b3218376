using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tollgate.Core.Catalog;
using Tollgate.Gateway.Tests.Keys;
using Tollgate.Gateway.Tests.SharedState;
using Xunit.Abstractions;

namespace Tollgate.Gateway.Tests.Settlement;

/// <summary>
/// The durability promise: a real <c>tollgate serve</c> (its ledger in SQLite, or in the PostgreSQL of ./test.sh) under
/// concurrent load, streaming and not, is killed with SIGKILL and started again on the same data directory, three
/// rounds in a row. Every response the client
/// received whole as a 200 is in the ledger exactly once with the cost its usage prices to, and the budgeted key's
/// spend after each restart is the ledger's sum: what was delivered plus at most the requests in flight at the kill.
/// </summary>
public sealed class LedgerCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Clients = 24;
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "tollgate-ledger-crash-" + Guid.NewGuid().ToString("N"));
    private string? _database;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Sigkill_UnderLoad_EveryDeliveredResponseIsInTheLedgerOnceAndInTheSpend(string engine)
    {
        _database = engine == "postgres" ? await SharedServers.NewDatabaseAsync() : null;
        Directory.CreateDirectory(_dataDir);
        CatalogFile.Write(Path.Combine(_dataDir, GatewayHost.LocalCatalogFile),
            [new ModelEntry { Provider = "demo", Model = "priced", MaxOutput = 1000, Prices = new ModelPrices { Input = 1000m, Output = 2000m } }]);
        File.WriteAllText(Path.Combine(_dataDir, "tollgate.json"), "{}");

        var delivered = new ConcurrentDictionary<string, decimal?>(StringComparer.Ordinal);
        string key;
        var process = await StartAsync();
        try
        {
            using (var first = Client(process.Port))
            {
                key = await CreateKeyAsync(first);
            }

            for (var round = 1; round <= 3; round++)
            {
                using var http = Client(process.Port);
                var before = delivered.Count;
                using var stop = new CancellationTokenSource();
                var load = Enumerable.Range(0, Clients).Select(i => LoadAsync(http, key, stream: i % 2 == 1, delivered, stop.Token)).ToArray();
                while (delivered.Count - before < 300)
                {
                    Assert.False(load.Any(t => t.IsCompleted), "a client stopped before the kill");
                    await Task.Delay(20);
                }

                // The kill lands in the middle of the load: requests are in flight on every connection.
                process.Process.Kill();
                await process.Process.WaitForExitAsync();
                await stop.CancelAsync();
                await Task.WhenAll(load);
                process.Process.Dispose();

                process = await StartAsync();
                using var after = Client(process.Port);
                var spent = await SpentAsync(after, key);
                var (missing, wrongCost, doubled, ledgerSum) = await CheckAsync(delivered);
                var deliveredSum = delivered.Values.Sum(c => c ?? 0m);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{engine} round {round}: {delivered.Count} delivered in all ({delivered.Count - before} this round), {missing} missing from the ledger, {doubled} doubled, {wrongCost} with a cost other than their usage's; spend after restart {spent} = ledger {ledgerSum}, delivered {deliveredSum}"));
                Assert.Equal(0, missing);
                Assert.Equal(0, doubled);
                Assert.Equal(0, wrongCost);
                Assert.Equal(ledgerSum, spent);

                // The ledger may also hold requests settled just before the kill whose answers never arrived: at
                // most one per client connection per round, each under $0.02 (max_tokens 10 at $0.002).
                Assert.InRange(spent - deliveredSum, 0m, round * Clients * 0.02m);
            }
        }
        finally
        {
            process.Process.Kill();
            await process.Process.WaitForExitAsync();
            process.Process.Dispose();
        }
    }

    private static async Task LoadAsync(HttpClient http, string key, bool stream, ConcurrentDictionary<string, decimal?> delivered, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
                {
                    Content = JsonContent.Create(new Dictionary<string, object>
                    {
                        ["model"] = KeysGateway.Model,
                        ["max_tokens"] = 10,
                        ["stream"] = stream,
                        ["messages"] = new[] { new { role = "user", content = "Hello" } },
                    }),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                using var response = await http.SendAsync(request, CancellationToken.None);
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                var id = response.Headers.TryGetValues("x-tollgate-request-id", out var ids) ? ids.Single() : null;
                if (response.StatusCode != HttpStatusCode.OK || id is null)
                {
                    throw new InvalidOperationException($"{response.StatusCode}: {body}");
                }

                if (stream)
                {
                    // Delivered means whole: a stream cut by the kill never reached its end.
                    if (body.Contains("data: [DONE]", StringComparison.Ordinal))
                    {
                        delivered[id] = null;
                    }
                }
                else
                {
                    var usage = JsonDocument.Parse(body).RootElement.GetProperty("usage");
                    delivered[id] = (usage.GetProperty("prompt_tokens").GetInt64() * 1000m + usage.GetProperty("completion_tokens").GetInt64() * 2000m) / 1_000_000m;
                }
            }
            catch (HttpRequestException)
            {
                // The process was killed under this request.
                return;
            }
            catch (IOException)
            {
                return;
            }
        }
    }

    /// <summary>Delivered ids absent from the ledger, priced otherwise than their usage, or stored twice; and the ledger's sum.</summary>
    private async Task<(int Missing, int WrongCost, int Doubled, decimal Sum)> CheckAsync(ConcurrentDictionary<string, decimal?> delivered)
    {
        var stored = new Dictionary<string, int>(StringComparer.Ordinal);
        var costs = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var sum = 0m;
        await using (var connection = _database is null
            ? (System.Data.Common.DbConnection)new SqliteConnection($"Data Source={Path.Combine(_dataDir, "tollgate.db")};Mode=ReadOnly;Pooling=False")
            : new Npgsql.NpgsqlConnection(_database))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, cost FROM ledger WHERE key_id IS NOT NULL";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var id = reader.GetString(0);
                stored[id] = stored.GetValueOrDefault(id) + 1;

                // SQLite keeps costs as decimal text, PostgreSQL as numeric.
                var cost = reader.IsDBNull(1) ? 0m : reader.GetValue(1) is string text ? decimal.Parse(text, CultureInfo.InvariantCulture) : reader.GetDecimal(1);
                costs[id] = cost;
                sum += cost;
            }
        }

        var missing = delivered.Keys.Count(id => !stored.ContainsKey(id));
        var wrong = delivered.Count(d => costs.TryGetValue(d.Key, out var c) && (d.Value is { } expected ? c != expected : c <= 0m));
        delivered.Keys.Where(costs.ContainsKey).ToList().ForEach(id => delivered[id] = costs[id]);
        return (missing, wrong, stored.Values.Count(n => n > 1), sum);
    }

    private static async Task<string> CreateKeyAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/keys") { Content = JsonContent.Create(new { limit = new { retention = "month", threshold = 1000 } }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", KeysGateway.Master);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("data").GetProperty("key").GetString()!;
    }

    private static async Task<decimal> SpentAsync(HttpClient http, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/budgets");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("data")[0].GetProperty("spent").GetDecimal();
    }

    private static HttpClient Client(int port) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = Clients }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Starts <c>tollgate serve</c> from the test's output folder on the data directory (SQLite or the test's PostgreSQL; in-memory counters).</summary>
    private async Task<(Process Process, int Port)> StartAsync()
    {
        var port = LocalPort.Free();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dataDir };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "tollgate.dll"), "serve", "--port", port.ToString(CultureInfo.InvariantCulture), "--config", Path.Combine(_dataDir, "tollgate.json") })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["TOLLGATE_DATA_DIR"] = _dataDir;
        start.Environment["TOLLGATE_MASTER_KEY"] = KeysGateway.Master;
        start.Environment.Remove("TOLLGATE_DATABASE_URL");
        start.Environment.Remove("TOLLGATE_REDIS_URL");
        if (_database is not null)
        {
            start.Environment["TOLLGATE_DATABASE_URL"] = _database;
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await LocalPort.WaitListeningAsync(port, () => process.HasExited, "tollgate serve");
            return (process, port);
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }
}
