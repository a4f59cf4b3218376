using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using System.ClientModel;
using System.ClientModel.Primitives;
using Tollgate.Emulator;
using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Tests.Routing.EndToEnd;

/// <summary>
/// A real gateway on 127.0.0.1 (port 0) whose providers are separate emulator instances on 127.0.0.1 (port 0), one
/// per <see cref="Upstream"/>, configured from a temporary tollgate.json through <see cref="GatewayOptionsLoader"/>.
/// </summary>
internal sealed class RoutingGateway : IAsyncDisposable
{
    public const string MasterKey = "tg-test-master-key-routing-0123";

    private readonly List<WebApplication> _emulators;
    private readonly WebApplication _gateway;
    private readonly string _directory;
    private readonly HeaderRecorder _recorder;

    private RoutingGateway(List<WebApplication> emulators, Dictionary<string, EmulatorOptions> instances, WebApplication gateway, string directory, Uri address)
    {
        _emulators = emulators;
        Instances = instances;
        _gateway = gateway;
        _directory = directory;
        Address = address;
        _recorder = new HeaderRecorder { InnerHandler = new SocketsHttpHandler() };
        Http = new HttpClient(_recorder) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(25) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
    }

    public Uri Address { get; }

    /// <summary>The emulator instance of each provider id (none for refused ones).</summary>
    public IReadOnlyDictionary<string, EmulatorOptions> Instances { get; }

    /// <summary>Authenticated with the master key; records the last response's headers (see <see cref="LastHeaders"/>).</summary>
    public HttpClient Http { get; }

    /// <summary>The headers of the last response <see cref="Http"/> (and the SDK clients built here) received.</summary>
    public HttpResponseHeaders LastHeaders => _recorder.Last ?? throw new InvalidOperationException("No response yet.");

    /// <summary>x-tollgate-provider of the last response.</summary>
    public string LastProvider => LastHeaders.GetValues("x-tollgate-provider").Single();

    /// <summary>x-tollgate-attempts of the last response (absent means one deployment, one attempt: 1).</summary>
    public int LastAttempts => LastHeaders.TryGetValues("x-tollgate-attempts", out var v) ? int.Parse(v.Single(), System.Globalization.CultureInfo.InvariantCulture) : 1;

    /// <summary>Starts the emulators and the gateway; <paramref name="models"/> and <paramref name="routing"/> are JSON objects.</summary>
    /// <param name="demo">When set, the <c>demo</c> provider is on too and its requests go to this handler.</param>
    public static async Task<RoutingGateway> StartAsync(IReadOnlyList<Upstream> upstreams, string models, string? routing = null, TimeProvider? timeProvider = null, Func<HttpMessageHandler>? demo = null)
    {
        var emulators = new List<WebApplication>();
        var instances = new Dictionary<string, EmulatorOptions>(StringComparer.Ordinal);
        var providers = new JsonObject();
        foreach (var upstream in upstreams)
        {
            string root;
            if (upstream.Refused)
            {
                root = "http://127.0.0.1:" + ClosedPort();
            }
            else
            {
                var options = new EmulatorOptions { Faults = upstream.Faults is null ? null : EmulatorFaultRule.Parse(upstream.Faults) };
                var emulator = EmulatorServer.Build(["--port", "0"], options);
                await emulator.StartAsync();
                emulators.Add(emulator);
                instances[upstream.Id] = options;
                root = AddressOf(emulator).TrimEnd('/');
            }

            var provider = new JsonObject
            {
                ["base_url"] = upstream.Dialect == "openai" ? root + "/v1" : root,
                ["api_key"] = "sk-" + upstream.Id + "-secret-key",
                ["dialect"] = upstream.Dialect,
                ["free"] = upstream.Free,
            };
            if (upstream.Limits is not null)
            {
                provider["limits"] = JsonNode.Parse(upstream.Limits);
            }

            providers[upstream.Id] = provider;
        }

        var directory = Path.Combine(Path.GetTempPath(), "tollgate-routing-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var config = new JsonObject
        {
            ["master_key"] = MasterKey,
            ["data_dir"] = Path.Combine(directory, "data"),
            ["providers"] = providers,
            ["models"] = JsonNode.Parse(models),
        };
        if (demo is not null)
        {
            config["demo"] = true;
        }

        if (routing is not null)
        {
            config["routing"] = JsonNode.Parse(routing);
        }

        var path = Path.Combine(directory, "tollgate.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        var gatewayOptions = GatewayOptionsLoader.Load(_ => null, path);
        var gateway = GatewayHost.Build(["--urls", "http://127.0.0.1:0"], gatewayOptions, demo, timeProvider);
        await gateway.StartAsync();
        return new RoutingGateway(emulators, instances, gateway, directory, new Uri(AddressOf(gateway)));
    }

    /// <summary>How many requests reached <paramref name="provider"/>'s emulator at <paramref name="endpoint"/>.</summary>
    public long Count(string provider, string endpoint = "chat_completions") => Instances[provider].Control.RequestCount(endpoint);

    /// <summary>An OpenAI SDK client on the gateway, without the SDK's own retries (they would hide the gateway's).</summary>
    public OpenAIClient OpenAI(string key = MasterKey) => new(new ApiKeyCredential(key), new OpenAIClientOptions
    {
        Endpoint = new Uri(Address, "/v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        Transport = new HttpClientPipelineTransport(new HttpClient(_recorder, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(25) }),
    });

    /// <summary>An Anthropic SDK client on the gateway, without the SDK's own retries.</summary>
    public AnthropicClient Anthropic() => new(new ClientOptions
    {
        ApiKey = MasterKey,
        BaseUrl = Address.ToString().TrimEnd('/'),
        MaxRetries = 0,
        HttpClient = new HttpClient(_recorder, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(25) },
    });

    /// <summary>The ledger entries, newest first, once the batched writer has written <paramref name="count"/> of them.</summary>
    public async Task<JsonArray> LedgerAsync(int count)
    {
        JsonArray list = [];
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/requests?limit=500");
            using var response = await Http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            list = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!.AsArray();
            if (list.Count >= count)
            {
                return list;
            }

            await Task.Delay(100);
        }

        return list;
    }

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _gateway.StopAsync();
        await _gateway.DisposeAsync();
        foreach (var emulator in _emulators)
        {
            await emulator.StopAsync();
            await emulator.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file briefly; a temp directory left behind is harmless.
        }
    }

    /// <summary>A port that was free a moment ago and that nobody listens on now: a connect there is refused.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string AddressOf(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>Keeps the headers of the last response, which the SDKs do not all expose for streams.</summary>
    private sealed class HeaderRecorder : DelegatingHandler
    {
        private HttpResponseHeaders? _last;

        public HttpResponseHeaders? Last => Volatile.Read(ref _last);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            Volatile.Write(ref _last, response.Headers);
            return response;
        }
    }
}
