using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Core.Catalog;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Routing;
using Tollgate.Gateway.Tests.Keys;
using Xunit.Abstractions;

namespace Tollgate.Gateway.Tests.SharedState;

/// <summary>
/// Routing state shared through one Redis: a provider quota (<c>limits.rpm</c>) holds across three instances, and a
/// circuit opened on one instance is passed over by the others.
/// </summary>
public sealed class SharedRoutingTests(ITestOutputHelper output)
{
    private static readonly ModelPrices Prices = new() { Input = 1m, Output = 2m };

    [Fact]
    public async Task ProviderRpm_100SimultaneousOverThreeInstances_ExactlyTheLimitReachTheProvider()
    {
        // One clock for all, mid-minute, so every request falls in the same window.
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 24, 10, 30, 20, TimeSpan.Zero));
        var database = await SharedServers.NewDatabaseAsync();
        GatewayOptions Configure(GatewayOptions o) => o with
        {
            DatabaseUrl = database,
            RedisUrl = SharedServers.RedisUrl,
            Providers =
            [
                .. o.Providers,
                // A fresh provider id per run: Redis is shared by every test, and the quota is counted per provider.
                new ProviderSettings { Id = Limited, BaseUrl = "http://limited.invalid/v1", InProcessEmulator = true, ApiKey = "sk-limited", Limits = new ProviderLimits { RequestsPerMinute = 30 } },
                new ProviderSettings { Id = "backup", BaseUrl = "http://backup.invalid/v1", InProcessEmulator = true, ApiKey = "sk-backup" },
            ],
            Models =
            [
                new ModelGroupSettings { Name = "pooled", Prices = Prices, Deployments = [new DeploymentSettings { Provider = Limited, Model = "priced" }, new DeploymentSettings { Provider = "backup", Model = "priced" }] },
                new ModelGroupSettings { Name = "solo", Prices = Prices, Deployments = [new DeploymentSettings { Provider = Limited, Model = "priced" }] },
            ],
        };

        var instances = new[]
        {
            await KeysGateway.StartAsync(clock, configure: Configure),
            await KeysGateway.StartAsync(clock, configure: Configure),
            await KeysGateway.StartAsync(clock, configure: Configure),
        };
        try
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => instances[i % 3].ChatAsync(KeysGateway.Master, model: "pooled")));
            var byProvider = responses.GroupBy(Provider).ToDictionary(g => g.Key, g => g.Count());
            output.WriteLine($"limits.rpm 30, 100 simultaneous over 3 instances: {string.Join(", ", byProvider.Select(p => $"{p.Key} {p.Value}"))}");
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            Assert.Equal(30, byProvider.GetValueOrDefault(Limited));
            Assert.Equal(70, byProvider.GetValueOrDefault("backup"));

            // With nothing to fall back to, every instance refuses the provider for the rest of the minute.
            foreach (var gw in instances)
            {
                using var refused = await gw.ChatAsync(KeysGateway.Master, model: "solo");
                Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
                Assert.Contains("deployments_rate_limited", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            // The next minute is a new window on every instance.
            clock.Advance(TimeSpan.FromMinutes(1));
            using var next = await instances[2].ChatAsync(KeysGateway.Master, model: "solo");
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
            foreach (var r in responses)
            {
                r.Dispose();
            }
        }
        finally
        {
            foreach (var gw in instances)
            {
                await gw.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Circuit_OpenedOnOneInstance_IsPassedOverByTheOthers()
    {
        var database = await SharedServers.NewDatabaseAsync();
        var dead = "dead-" + Guid.NewGuid().ToString("N")[..8];
        GatewayOptions Configure(GatewayOptions o) => o with
        {
            DatabaseUrl = database,
            RedisUrl = SharedServers.RedisUrl,
            Providers =
            [
                .. o.Providers,
                new ProviderSettings { Id = dead, BaseUrl = $"http://127.0.0.1:{ClosedPort()}/v1", ApiKey = "sk-dead" },
                new ProviderSettings { Id = "backup", BaseUrl = "http://backup.invalid/v1", InProcessEmulator = true, ApiKey = "sk-backup" },
            ],
            Models = [new ModelGroupSettings { Name = "resilient", Prices = Prices, Deployments = [new DeploymentSettings { Provider = dead, Model = "priced" }, new DeploymentSettings { Provider = "backup", Model = "priced" }] }],
            Routing = o.Routing with { Breaker = new BreakerOptions { Failures = 2, FailureRatio = 0.5, Window = TimeSpan.FromSeconds(30), Open = TimeSpan.FromMinutes(5) } },
        };

        await using var a = await KeysGateway.StartAsync(configure: Configure);
        await using var b = await KeysGateway.StartAsync(configure: Configure);
        var route = b.Services.GetRequiredService<ModelResolver>().ResolvePlan("resilient", out _)!.Primary;
        var breakersA = a.Services.GetRequiredService<Router>().Breakers;
        var breakersB = b.Services.GetRequiredService<Router>().Breakers;
        Assert.False(breakersB.IsOpen(route));

        // Two failed attempts on A open the dead deployment's circuit there; each request still succeeds on the backup.
        for (var i = 0; i < 2; i++)
        {
            using var r = await a.ChatAsync(KeysGateway.Master, model: "resilient");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal("2", r.Headers.GetValues("x-tollgate-attempts").Single());
        }

        Assert.True(breakersA.IsOpen(route));
        var clock = Stopwatch.StartNew();
        while (!breakersB.IsOpen(route) && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(5);
        }

        output.WriteLine($"circuit opened on instance A, seen open on instance B after {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(breakersB.IsOpen(route), "B did not learn that the circuit is open");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        // The same end of the break on both (Redis keeps it to the millisecond).
        Assert.InRange((breakersA.OpenUntil(route)!.Value - breakersB.OpenUntil(route)!.Value).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));

        // B never called the dead deployment, yet goes straight to the backup.
        using (var r = await b.ChatAsync(KeysGateway.Master, model: "resilient"))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal("backup", r.Headers.GetValues("x-tollgate-provider").Single());
            Assert.False(r.Headers.TryGetValues("x-tollgate-attempts", out var attempts) && attempts.Single() != "1");
        }

        // An instance started later reads the open circuit from Redis.
        await using var c = await KeysGateway.StartAsync(configure: Configure);
        Assert.True(c.Services.GetRequiredService<Router>().Breakers.IsOpen(route));
    }

    // A provider id of its own per test run: Redis outlives the runs and the quota is counted per provider id.
    private string Limited { get; } = "limited-" + Guid.NewGuid().ToString("N")[..8];

    private static string Provider(HttpResponseMessage r) => r.Headers.TryGetValues("x-tollgate-provider", out var v) ? v.Single() : "(none)";

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
