using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Emulator;
using Tollgate.Gateway;
using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Tests.Dialects;

/// <summary>
/// A real gateway on 127.0.0.1 (port 0) whose <c>anthropic</c>, <c>gemini</c> and OpenAI-dialect <c>openai</c> providers
/// are one real emulator on 127.0.0.1 (port 0), speaking each API on its own path.
/// </summary>
public sealed class DialectGateway : IAsyncDisposable
{
    public const string MasterKey = "tg-test-master-key-0123456789";
    public const string AnthropicKey = "sk-ant-test-secret-key-abcdef";
    public const string GeminiKey = "AIza-test-secret-key-abcdef";

    private readonly WebApplication _emulator;
    private readonly WebApplication _gateway;
    private readonly string _dataDirectory;

    private DialectGateway(WebApplication emulator, WebApplication gateway, string dataDirectory, Uri address)
    {
        _emulator = emulator;
        _gateway = gateway;
        _dataDirectory = dataDirectory;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    /// <summary>Starts both servers; <paramref name="unsupported"/> is the policy of the anthropic and gemini providers.</summary>
    /// <param name="recordings">Where the emulator's <c>replay</c> knob reads; the shared recordings by default.</param>
    public static async Task<DialectGateway> StartAsync(UnsupportedParameterPolicy unsupported = UnsupportedParameterPolicy.Drop, string? recordings = null)
    {
        var emulator = EmulatorServer.Build(["--port", "0"], new EmulatorOptions { RecordingsDirectory = recordings ?? RecordingsDirectory });
        await emulator.StartAsync();
        var upstream = AddressOf(emulator).TrimEnd('/');

        var data = Path.Combine(Path.GetTempPath(), "tollgate-dialects-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var options = new GatewayOptions
        {
            DataDirectory = data,
            MasterKey = MasterKey,
            Providers =
            [
                new ProviderSettings { Id = "anthropic", BaseUrl = upstream, ApiKey = AnthropicKey, Dialect = UpstreamDialect.Anthropic, UnsupportedParameters = unsupported },
                new ProviderSettings { Id = "gemini", BaseUrl = upstream, ApiKey = GeminiKey, Dialect = UpstreamDialect.Gemini, UnsupportedParameters = unsupported },
                new ProviderSettings { Id = "openai", BaseUrl = upstream + "/v1", ApiKey = "sk-openai-test-secret", Dialect = UpstreamDialect.OpenAI },
            ],
        };
        var gateway = GatewayHost.Build(["--urls", "http://127.0.0.1:0"], options);
        await gateway.StartAsync();
        return new DialectGateway(emulator, gateway, data, new Uri(AddressOf(gateway)));
    }

    /// <summary>
    /// Starts both servers with the gateway configured as a user would: <paramref name="tollgateJson"/> (given the
    /// emulator's root URL) written as tollgate.json and read by <see cref="GatewayOptionsLoader"/>.
    /// </summary>
    public static async Task<DialectGateway> StartWithConfigAsync(Func<string, string> tollgateJson)
    {
        ArgumentNullException.ThrowIfNull(tollgateJson);
        var emulator = EmulatorServer.Build(["--port", "0"], new EmulatorOptions());
        await emulator.StartAsync();
        var data = Path.Combine(Path.GetTempPath(), "tollgate-dialects-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var config = Path.Combine(data, "tollgate.json");
        File.WriteAllText(config, tollgateJson(AddressOf(emulator).TrimEnd('/')));
        var env = new Dictionary<string, string> { ["TOLLGATE_DATA_DIR"] = data, ["TOLLGATE_MASTER_KEY"] = MasterKey };
        var gateway = GatewayHost.Build(["--urls", "http://127.0.0.1:0"], GatewayOptionsLoader.Load(name => env.GetValueOrDefault(name), config));
        await gateway.StartAsync();
        return new DialectGateway(emulator, gateway, data, new Uri(AddressOf(gateway)));
    }

    /// <summary>shared/fixtures/provider-recordings, found by walking up from the test binaries.</summary>
    public static string RecordingsDirectory { get; } = FindRecordings();

    public async Task<(HttpResponseMessage Response, JsonObject Body)> PostJsonAsync(string path, object body, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent(body) };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, JsonNode.Parse(text)!.AsObject());
    }

    /// <summary>Posts and reads the SSE stream to its end: each event's (event name, data).</summary>
    public async Task<(HttpResponseMessage Response, List<(string? Event, string Data)> Events)> PostStreamAsync(string path, object body, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent(body) };
        var response = await (client ?? Client).SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return (response, await ReadEventsAsync(response));
    }

    /// <summary>Reads an SSE response to its end: each event's (event name, data).</summary>
    public static async Task<List<(string? Event, string Data)>> ReadEventsAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var events = new List<(string?, string)>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? name = null;
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((name, line["data: ".Length..]));
                name = null;
            }
        }

        return events;
    }

    public static StringContent JsonContent(object body) =>
        new(body is string s ? s : JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _gateway.StopAsync();
        await _gateway.DisposeAsync();
        await _emulator.StopAsync();
        await _emulator.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file briefly; a temp directory left behind is harmless.
        }
    }

    private static string AddressOf(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    private static string FindRecordings()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures", "provider-recordings");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/fixtures/provider-recordings was not found above " + AppContext.BaseDirectory);
    }
}
