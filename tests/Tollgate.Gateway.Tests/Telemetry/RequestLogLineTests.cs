using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tollgate.Gateway.Tests.Keys;
using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Tests.Telemetry;

/// <summary>The settler's one line per request, at Information when log_requests is on: its facts, never the prompt or a key.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class RequestLogLineTests
{
    private const string Category = "Tollgate.Requests";

    [Fact]
    public async Task Settle_WithLogRequests_LogsOneLineWithTheLedgersFacts_AndNoContentOrKey()
    {
        await using var gw = await KeysGateway.StartAsync(configure: o => o with { LogRequests = true });
        var created = await gw.CreateKeyAsync(new { name = "logged" });
        var key = created.GetProperty("key").GetString()!;
        var prefix = created.GetProperty("prefix").GetString()!;
        var lines = new ConcurrentQueue<string>();
        gw.Services.GetRequiredService<ILoggerFactory>().AddProvider(new CaptureProvider(lines));

        using (var response = await gw.ChatAsync(key, content: "secret-prompt-words"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.TryGetValues("x-tollgate-request-id", out var ids));
            var line = Assert.Single(lines);
            Assert.Contains(ids.Single(), line, StringComparison.Ordinal);
            Assert.Contains($"key {prefix} model demo/priced provider demo status 200", line, StringComparison.Ordinal);
            var ledger = gw.Services.GetRequiredService<ILedger>();
            await ledger.FlushAsync();
            var entry = Assert.Single(await ledger.RecentAsync(10), e => e.Endpoint == "chat");
            Assert.True(entry.Cost > 0m);
            Assert.Contains($"cost {entry.Cost!.Value.ToString(CultureInfo.InvariantCulture)} USD", line, StringComparison.Ordinal);
            Assert.DoesNotContain("secret-prompt-words", line, StringComparison.Ordinal);
            Assert.DoesNotContain(key, line, StringComparison.Ordinal);
            Assert.DoesNotContain(KeysGateway.ProviderKey, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Settle_ByDefault_LogsNoLinePerRequest()
    {
        await using var gw = await KeysGateway.StartAsync();
        var lines = new ConcurrentQueue<string>();
        gw.Services.GetRequiredService<ILoggerFactory>().AddProvider(new CaptureProvider(lines));

        using (var response = await gw.ChatAsync(KeysGateway.Master, content: "quiet"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Empty(lines);
    }

    private sealed class CaptureProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Capture(categoryName == Category ? lines : null);

        public void Dispose()
        {
        }
    }

    private sealed class Capture(ConcurrentQueue<string>? lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => lines is not null;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines?.Enqueue(formatter(state, exception));
    }
}
