using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Tollgate.Gateway.Tests.Keys;
using Xunit.Abstractions;

namespace Tollgate.Gateway.Tests.SharedState;

/// <summary>
/// A Redis of the test's own (Debian's redis-server, which ./test.sh installs), stopped and started again under a
/// running gateway: keys with limits fail closed with 503 <c>limits_unavailable</c>, the master key keeps working,
/// and after Redis is back the gateway recovers by itself, with the budget's spend taken from the ledger rather
/// than lost with Redis's memory.
/// </summary>
public sealed class RedisOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RedisStoppedAndRestarted_FailsClosedThenRecoversWithSpendIntact()
    {
        var port = LocalPort.Free();
        var redis = await StartRedisAsync(port);
        try
        {
            await using var gw = await KeysGateway.StartAsync(configure: o => o with { RedisUrl = $"redis://127.0.0.1:{port}/0" });
            var key = (await gw.CreateKeyAsync(new { rpm = 1000, limit = new { retention = "month", threshold = 1 } })).GetProperty("key").GetString()!;
            using (var before = await gw.ChatAsync(key))
            {
                Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            }

            Stop(redis);
            using (var refused = await gw.ChatAsync(key))
            {
                var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Equal("limits_unavailable", error.GetProperty("code").GetString());
            }

            using (var master = await gw.ChatAsync(KeysGateway.Master))
            {
                Assert.Equal(HttpStatusCode.OK, master.StatusCode);
            }

            // Back, empty: nothing of the budget survived in Redis.
            redis = await StartRedisAsync(port);
            var clock = Stopwatch.StartNew();
            HttpStatusCode status;
            do
            {
                await Task.Delay(50);
                using var r = await gw.ChatAsync(key);
                status = r.StatusCode;
            }
            while (status != HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(20));

            output.WriteLine($"Redis restarted: the key's requests passed again after {clock.Elapsed.TotalMilliseconds:F0} ms");
            Assert.Equal(HttpStatusCode.OK, status);

            // $0.013 before the outage (from the ledger) + $0.013 after: $1 - $0.026.
            using var billing = await gw.SendAsync(HttpMethod.Get, "/v2/billing", key);
            Assert.Equal(0.974m, JsonDocument.Parse(await billing.Content.ReadAsStringAsync()).RootElement.GetProperty("current_balance").GetDecimal());
        }
        finally
        {
            Stop(redis);
        }
    }

    [Fact]
    public async Task RedisUnreachable_WithFailOpen_AdmitsUnchecked()
    {
        // Port 1 on loopback: nothing listens there.
        await using var gw = await KeysGateway.StartAsync(configure: o => o with { RedisUrl = "redis://127.0.0.1:1/0", FailOpen = true });
        var key = (await gw.CreateKeyAsync(new { rpm = 1, limit = new { retention = "month", threshold = 1 } })).GetProperty("key").GetString()!;

        using var first = await gw.ChatAsync(key);
        using var second = await gw.ChatAsync(key);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    private static async Task<Process> StartRedisAsync(int port)
    {
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed: run ./test.sh, which installs Debian's redis-server.", ex);
        }

        process.OutputDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        try
        {
            await LocalPort.WaitListeningAsync(port, () => process.HasExited, "redis-server");
            return process;
        }
        catch
        {
            Stop(process);
            throw;
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Already stopped and disposed.
        }

        process.Dispose();
    }
}
