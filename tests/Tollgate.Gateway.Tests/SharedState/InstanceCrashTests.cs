using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Tollgate.Core.Catalog;
using Tollgate.Gateway.Tests.Keys;
using Xunit.Abstractions;

namespace Tollgate.Gateway.Tests.SharedState;

/// <summary>
/// A real second gateway process (the built <c>tollgate serve</c>) holding a key's every max_parallel slot and its whole
/// budget in requests in flight is killed with SIGKILL: the surviving instance refuses the key until the crashed
/// one's leases end (3 s here), then serves it again. Nothing leaks for longer than one lease.
/// </summary>
public sealed class InstanceCrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_lease = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Sigkill_OfTheInstanceHoldingTheSlots_FreesThemAfterTheLease()
    {
        var database = await SharedServers.NewDatabaseAsync();
        await using var survivor = await KeysGateway.StartAsync(configure: o => o with { DatabaseUrl = database, RedisUrl = SharedServers.RedisUrl, RedisLease = s_lease });

        // Budget for exactly 4 worst cases of "Hello" with max_tokens 10 on the prompt's byte bound: 32 prompt tokens
        // with the margin ($0.032) + 10 output ($0.020) = $0.052 each (see BudgetConcurrencyTests).
        var created = await survivor.CreateKeyAsync(new { max_parallel = 4, limit = new { retention = "month", threshold = 0.208 } });
        var key = created.GetProperty("key").GetString()!;

        using var doomed = await StartProcessAsync(database, out var port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
        var inFlight = Enumerable.Range(0, 4).Select(_ => SlowChatAsync(http, key)).ToList();

        // Wait until the doomed instance holds all four slots (its gauge in Redis has four members).
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Tollgate.Storage.Redis.RedisUrl.Parse(SharedServers.RedisUrl));
        var prefix = created.GetProperty("prefix").GetString();
        var gauge = "tollgate:g:{" + prefix + "}:par:" + prefix;
        var clock = Stopwatch.StartNew();
        while (await redis.GetDatabase().SortedSetLengthAsync(gauge) < 4)
        {
            if (inFlight.FirstOrDefault(t => t.IsCompletedSuccessfully) is { } done)
            {
                using var early = await done;
                Assert.Fail($"a request to the other process ended early: {early.StatusCode} {await early.Content.ReadAsStringAsync()}");
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the other process never took the slots");
            await Task.Delay(20);
        }

        doomed.Kill();
        await doomed.WaitForExitAsync();
        var killed = Stopwatch.StartNew();
        foreach (var t in inFlight)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => t);
        }

        // Right after the crash its slots are still taken (the probe's upstream answers 500, so it would cost nothing).
        var failing = new { model = KeysGateway.Model, max_tokens = 10, messages = new[] { new { role = "user", content = "Hello" } }, emulator = new { status = 500 } };
        using (var refused = await survivor.SendAsync(HttpMethod.Post, "/v1/chat/completions", key, failing))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        HttpStatusCode status;
        do
        {
            await Task.Delay(50);
            using var r = await survivor.ChatAsync(key);
            status = r.StatusCode;
        }
        while (status != HttpStatusCode.OK && killed.Elapsed < TimeSpan.FromSeconds(20));

        output.WriteLine($"SIGKILL of the instance holding 4 slots and the whole budget: the key was served again {killed.Elapsed.TotalMilliseconds:F0} ms later (lease {s_lease.TotalSeconds} s)");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(killed.Elapsed < s_lease + TimeSpan.FromSeconds(5), $"took {killed.Elapsed}");
    }

    private static async Task<HttpResponseMessage> SlowChatAsync(HttpClient http, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = KeysGateway.Model, max_tokens = 10, messages = new[] { new { role = "user", content = "Hello" } }, emulator = new { latency_ms = 60_000 } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await http.SendAsync(request);
    }

    /// <summary>Starts <c>tollgate serve</c> from the test's output folder on a free port, on the same PostgreSQL and Redis.</summary>
    private static Task<Process> StartProcessAsync(string database, out int port)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "tollgate-crash-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        CatalogFile.Write(Path.Combine(dataDir, GatewayHost.LocalCatalogFile),
            [new ModelEntry { Provider = "demo", Model = "priced", MaxOutput = 1000, Prices = new ModelPrices { Input = 1000m, Output = 2000m } }]);
        File.WriteAllText(Path.Combine(dataDir, "tollgate.json"), $$"""{ "redis_lease_seconds": {{s_lease.TotalSeconds}} }""");
        port = LocalPort.Free();

        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dataDir };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "tollgate.dll"), "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--config", Path.Combine(dataDir, "tollgate.json") })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["TOLLGATE_DATA_DIR"] = dataDir;
        start.Environment["TOLLGATE_MASTER_KEY"] = KeysGateway.Master;
        start.Environment["TOLLGATE_DATABASE_URL"] = database;
        start.Environment["TOLLGATE_REDIS_URL"] = SharedServers.RedisUrl;
        var process = Process.Start(start)!;
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return WaitAsync(process, port);
    }

    private static async Task<Process> WaitAsync(Process process, int port)
    {
        try
        {
            await LocalPort.WaitListeningAsync(port, () => process.HasExited, "tollgate serve");
            return process;
        }
        catch
        {
            process.Kill();
            throw;
        }
    }
}
