using System.Net;
using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Providers;

/// <summary>A configured provider with its own pooled HTTP client.</summary>
internal sealed class Upstream : IDisposable
{
    public Upstream(ProviderSettings settings, HttpMessageHandler? handler = null)
    {
        Settings = settings;
        ChatUri = new Uri(settings.BaseUrl + "/chat/completions");
        EmbeddingsUri = new Uri(settings.BaseUrl + "/embeddings");
        Client = new HttpClient(handler ?? CreateHandler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public ProviderSettings Settings { get; }
    public string Id => Settings.Id;
    public Uri ChatUri { get; }
    public Uri EmbeddingsUri { get; }
    public HttpClient Client { get; }

    /// <summary>Removes the provider's credential from text that may reach a client or a log.</summary>
    public string Scrub(string text) =>
        string.IsNullOrEmpty(Settings.ApiKey) ? text : text.Replace(Settings.ApiKey, "[redacted]", StringComparison.Ordinal);

    public void Dispose() => Client.Dispose();

    // One tuned pool per upstream: no proxy lookup, no cookies, no redirects, connections recycled so DNS changes are seen.
    private static SocketsHttpHandler CreateHandler() => new()
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        MaxConnectionsPerServer = int.MaxValue,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        EnableMultipleHttp2Connections = true,
    };
}
