using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using OpenAI;
using Tollgate.Emulator;
using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

namespace Tollgate.Gateway.Tests.Modalities;

/// <summary>
/// A real emulator and a real gateway on 127.0.0.1 for the images, audio, moderation and Gemini-embedding endpoints:
/// the openai and gemini providers both point at the emulator; the built-in catalog prices every model used.
/// </summary>
public sealed class ModalityGateway : IAsyncLifetime
{
    public const string MasterKey = "tg-modalities-master-key-0123";
    private const string ProviderSecret = "sk-modalities-provider-secret";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tollgate-modalities-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _emulator;
    private RunningGateway? _gateway;
    private RunningGateway? _tight;

    /// <summary>The body limit of <see cref="Tight"/>.</summary>
    public const long TightBodyLimit = 64 * 1024;

    internal CapturedLogs Logs { get; } = new();

    internal RunningGateway Gateway => _gateway ?? throw new InvalidOperationException("Not started.");

    /// <summary>A second gateway like <see cref="Gateway"/> with a 64 KiB body limit.</summary>
    internal RunningGateway Tight => _tight ?? throw new InvalidOperationException("Not started.");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The gateway's address as a string, for other test projects' clients.</summary>
    public Uri Address => Gateway.Address;

    public async Task InitializeAsync()
    {
        _emulator = EmulatorServer.Build(["--urls", "http://127.0.0.1:0"]);
        await _emulator.StartAsync();
        var emulator = new Uri(RunningGateway.AddressOf(_emulator));
        Directory.CreateDirectory(_directory);
        var env = new Dictionary<string, string>
        {
            ["TOLLGATE_MASTER_KEY"] = MasterKey,
            ["TOLLGATE_DATA_DIR"] = _directory,
            ["OPENAI_API_KEY"] = ProviderSecret,
            ["OPENAI_BASE_URL"] = new Uri(emulator, "/v1").ToString(),
            ["GEMINI_API_KEY"] = ProviderSecret,
            ["GEMINI_BASE_URL"] = emulator.ToString().TrimEnd('/'),
        };
        var options = GatewayOptionsLoader.Load(name => env.GetValueOrDefault(name), null);
        _gateway = await RunningGateway.StartAsync(options, Logs);
        var tightDirectory = Path.Combine(_directory, "tight");
        Directory.CreateDirectory(tightDirectory);
        _tight = await RunningGateway.StartAsync(options with { DataDirectory = tightDirectory, MaxRequestBodyBytes = TightBodyLimit }, Logs);
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
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>An SDK client for the gateway under <paramref name="key"/>, without retries.</summary>
    internal OpenAIClient Client(string key = MasterKey) => new(new ApiKeyCredential(key), new OpenAIClientOptions
    {
        Endpoint = Gateway.V1,
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        Transport = new HttpClientPipelineTransport(Http),
    });

    /// <summary>Creates a virtual key with the given fields (scopes, allowed_models, limit) and returns its secret.</summary>
    internal async Task<string> CreateKeyAsync(object fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Gateway.Address, "/v1/keys")) { Content = JsonContent.Create(fields) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
        using var response = await Http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return (string)body["data"]!["key"]!;
    }

    /// <summary>POSTs JSON to a gateway path with a key.</summary>
    internal async Task<HttpResponseMessage> PostAsync(string path, string json, string key = MasterKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Gateway.Address, path)) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await Http.SendAsync(request);
    }

    /// <summary>The ledger entry of one request id.</summary>
    internal async Task<JsonObject> LedgerEntryAsync(string requestId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Gateway.Address, "/v1/requests?limit=500"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
        using var response = await Http.SendAsync(request);
        var data = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!.AsArray();
        var entry = data.SingleOrDefault(e => (string?)e!["id"] == requestId);
        Assert.True(entry is not null, $"No ledger entry for {requestId}.");
        return entry!.AsObject();
    }
}

[CollectionDefinition(Name)]
public sealed class ModalityCollection : ICollectionFixture<ModalityGateway>
{
    public const string Name = "modalities";
}
