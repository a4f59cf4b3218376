using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Models;
using Tollgate.Emulator;
using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

/// <summary>
/// One real emulator and two real gateways on 127.0.0.1, shared by the end-to-end tests:
/// <see cref="Gateway"/> with every emulated provider (openai, groq, deepseek, moonshot, mistral, xai, zhipu; all
/// pointing at the emulator), the in-process <c>demo</c> provider and a <c>dead</c> provider on a closed port;
/// <see cref="Tight"/> with a 2 KiB body limit and a 2 s upstream timeout. Each gateway has its own temporary data
/// directory, deleted at the end.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const string MasterKey = "tg-e2e-master-key-0123456789";
    public const string ProviderSecret = "sk-test-provider-secret-123";
    public const long TightBodyLimit = 2048;
    public static readonly TimeSpan TightTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Providers of the OpenAI dialect switched on from their environment variables, all served by the emulator.</summary>
    public static readonly string[] EmulatedProviders = ["openai", "groq", "deepseek", "moonshot", "mistral", "xai", "zhipu"];

    private readonly List<string> _directories = [];
    private WebApplication? _emulator;
    private RunningGateway? _gateway;
    private RunningGateway? _tight;

    internal CapturedLogs Logs { get; } = new();
    internal LeakGuard Guard { get; } = new(ProviderSecret);
    internal RunningGateway Gateway => _gateway ?? throw new InvalidOperationException("Not started.");
    internal RunningGateway Tight => _tight ?? throw new InvalidOperationException("Not started.");

    /// <summary>The emulator's root address.</summary>
    public Uri EmulatorAddress { get; private set; } = null!;

    /// <summary>A raw client for the gateway, checked by the leak guard; <c>Authorization</c> is set per request.</summary>
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Http = new HttpClient(Guard, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) };

        _emulator = EmulatorServer.Build(["--urls", "http://127.0.0.1:0"]);
        await _emulator.StartAsync();
        EmulatorAddress = new Uri(RunningGateway.AddressOf(_emulator));

        var env = new Dictionary<string, string>
        {
            ["TOLLGATE_MASTER_KEY"] = MasterKey,
            ["TOLLGATE_DATA_DIR"] = NewDataDirectory(),
            ["TOLLGATE_DEMO"] = "1",
        };
        foreach (var provider in EmulatedProviders)
        {
            env[provider.ToUpperInvariant() + "_API_KEY"] = ProviderSecret;
            env[provider.ToUpperInvariant() + "_BASE_URL"] = new Uri(EmulatorAddress, "/v1").ToString();
        }

        var options = GatewayOptionsLoader.Load(name => env.GetValueOrDefault(name), null);
        var dead = new ProviderSettings { Id = "dead", BaseUrl = $"http://127.0.0.1:{ClosedPort()}/v1", ApiKey = ProviderSecret };
        options = options with { Providers = [.. options.Providers, dead] };
        TestCatalog.WriteTo(options.DataDirectory);
        _gateway = await RunningGateway.StartAsync(options, Logs);

        var tightDirectory = NewDataDirectory();
        TestCatalog.WriteTo(tightDirectory);
        _tight = await RunningGateway.StartAsync(
            options with { DataDirectory = tightDirectory, MaxRequestBodyBytes = TightBodyLimit, UpstreamTimeout = TightTimeout },
            Logs);
    }

    public async Task DisposeAsync()
    {
        if (_tight is not null)
        {
            await _tight.DisposeAsync();
        }

        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_emulator is not null)
        {
            await _emulator.StopAsync();
            await _emulator.DisposeAsync();
        }

        Http.Dispose();
        Guard.Dispose();
        foreach (var directory in _directories)
        {
            DeleteDirectory(directory);
        }
    }

    /// <summary>A fresh temporary data directory, deleted when the fixture is disposed.</summary>
    public string NewDataDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "tollgate-e2e-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        _directories.Add(path);
        return path;
    }

    /// <summary>SDK options for a gateway: its /v1 endpoint, no retries (each status must be seen as it is), the guarded transport.</summary>
    internal OpenAIClientOptions SdkOptions(RunningGateway? gateway = null) => new()
    {
        Endpoint = (gateway ?? Gateway).V1,
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        Transport = new HttpClientPipelineTransport(Http),
    };

    internal ChatClient Chat(string model, string key = MasterKey, RunningGateway? gateway = null) =>
        new(model, new ApiKeyCredential(key), SdkOptions(gateway));

    internal EmbeddingClient Embeddings(string model) => new(model, new ApiKeyCredential(MasterKey), SdkOptions());

    internal OpenAIModelClient Models() => new(new ApiKeyCredential(MasterKey), SdkOptions());

    /// <summary>POSTs <paramref name="json"/> to a gateway path with the given key (none when null); headers are returned as soon as they arrive.</summary>
    internal async Task<HttpResponseMessage> PostAsync(string path, string json, string? key = MasterKey, RunningGateway? gateway = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri((gateway ?? Gateway).Address, path))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    internal async Task<HttpResponseMessage> GetAsync(string pathAndQuery, string? key = MasterKey, RunningGateway? gateway = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri((gateway ?? Gateway).Address, pathAndQuery));
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>The newest ledger entries of a gateway, newest first.</summary>
    internal async Task<JsonArray> LedgerAsync(RunningGateway? gateway = null, int limit = 500, string key = MasterKey)
    {
        using var response = await GetAsync($"/v1/requests?limit={limit}", key, gateway);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("list", (string?)body["object"]);
        return body["data"]!.AsArray();
    }

    /// <summary>The ledger entry of one request, found by the <c>x-tollgate-request-id</c> the gateway answered with.</summary>
    internal async Task<JsonObject> LedgerEntryAsync(string requestId, RunningGateway? gateway = null)
    {
        var entries = await LedgerAsync(gateway);
        var entry = entries.SingleOrDefault(e => (string?)e!["id"] == requestId);
        Assert.True(entry is not null, $"No ledger entry for {requestId}.");
        return entry!.AsObject();
    }

    /// <summary>The newest ledger entry (for SDK streams, whose response headers the SDK does not hand out).</summary>
    internal async Task<JsonObject> LatestLedgerEntryAsync(RunningGateway? gateway = null) =>
        (await LedgerAsync(gateway, 1)).Single()!.AsObject();

    private static int ClosedPort()
    {
        // Bind a free port, then close it: nothing listens there afterwards, so connecting is refused.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static void DeleteDirectory(string path)
    {
        // A test may have removed its own directory already (to check that a command creates nothing).
        if (!Directory.Exists(path))
        {
            return;
        }

        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may hold the file a moment after the pool is released; one retry after clearing pools.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(path, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
