using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Core.Catalog;
using Tollgate.Emulator;
using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Tests.Keys;

/// <summary>
/// A real gateway on 127.0.0.1 (port 0) whose <c>demo</c> provider is the emulator, with a catalog entry
/// <c>demo/priced</c> at round prices: $1000 per 1M input tokens ($0.001 each) and $2000 per 1M output ($0.002 each).
/// </summary>
internal sealed class KeysGateway : IAsyncDisposable
{
    public const string Master = "tg-master-test-0123456789";
    public const string Model = "demo/priced";

    private WebApplication _app = null!;

    private KeysGateway(string dataDir, GatewayOptions options, TimeProvider? time, TimeSpan latency)
    {
        DataDir = dataDir;
        Options = options;
        Time = time;
        Latency = latency;
    }

    public string DataDir { get; }
    public GatewayOptions Options { get; }
    public TimeProvider? Time { get; }
    public TimeSpan Latency { get; }
    public HttpClient Http { get; private set; } = null!;
    public IServiceProvider Services => _app.Services;

    /// <summary>The demo provider's credential: sent upstream, never to a client.</summary>
    public const string ProviderKey = "sk-provider-secret-4f1c9e2ab7d0";

    public static async Task<KeysGateway> StartAsync(TimeProvider? time = null, TimeSpan? latency = null, PublicModeOptions? publicMode = null, string? dataDir = null, Func<GatewayOptions, GatewayOptions>? configure = null)
    {
        dataDir ??= Path.Combine(Path.GetTempPath(), "tollgate-keys-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        CatalogFile.Write(Path.Combine(dataDir, GatewayHost.LocalCatalogFile),
        [
            new ModelEntry { Provider = "demo", Model = "priced", MaxOutput = 1000, Prices = new ModelPrices { Input = 1000m, Output = 2000m } },
            new ModelEntry { Provider = "demo", Model = "embed", Mode = "embedding", Prices = new ModelPrices { Input = 1000m, Output = 0m } },
            new ModelEntry { Provider = "demo", Model = "cheap", MaxOutput = 1000, Prices = new ModelPrices { Input = 2.5m, Output = 10m } },
            new ModelEntry { Provider = "demo", Model = "embed-cheap", Mode = "embedding", Prices = new ModelPrices { Input = 1m, Output = 0m } },
        ]);
        var options = new GatewayOptions
        {
            DataDirectory = dataDir,
            MasterKey = Master,
            Demo = true,
            Providers = [new ProviderSettings { Id = "demo", BaseUrl = "http://demo.invalid/v1", InProcessEmulator = true, ApiKey = ProviderKey }],
            Public = publicMode ?? new PublicModeOptions(),
        };
        var gateway = new KeysGateway(dataDir, configure?.Invoke(options) ?? options, time, latency ?? TimeSpan.Zero);
        await gateway.StartAppAsync();
        return gateway;
    }

    /// <summary>Stops the gateway and starts a new one on the same data directory.</summary>
    public async Task RestartAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
        await StartAppAsync();
    }

    private async Task StartAppAsync()
    {
        var latency = Latency;
        _app = GatewayHost.Build(["--urls", "http://127.0.0.1:0"], Options, () => new EmulatorHandler(new EmulatorOptions { DefaultLatency = latency }), Time);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000 }) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task<JsonElement> CreateKeyAsync(object body)
    {
        using var response = await SendAsync(HttpMethod.Post, "/v1/keys", Master, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("data").Clone();
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, object? body = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (body is not null)
        {
            request.Content = body is string s ? new StringContent(s, Encoding.UTF8, "application/json") : JsonContent.Create(body);
        }

        configure?.Invoke(request);
        return await Http.SendAsync(request);
    }

    /// <summary>A chat request "Hello" to <see cref="Model"/>; the emulator answers "Echo: Hello" (2 words) unless lorem is asked for.</summary>
    public Task<HttpResponseMessage> ChatAsync(string? key, string model = Model, bool stream = false, int? maxTokens = 10, bool lorem = false, string content = "Hello")
    {
        var body = new Dictionary<string, object?>
        {
            ["model"] = model,
            ["messages"] = new[] { new { role = "user", content } },
        };
        if (maxTokens is { } m)
        {
            body["max_tokens"] = m;
        }

        if (stream)
        {
            body["stream"] = true;
        }

        if (lorem)
        {
            body["emulator"] = new { reply = "lorem" };
        }

        return SendAsync(HttpMethod.Post, "/v1/chat/completions", key, body);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
