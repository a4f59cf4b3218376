using System.Net;
using System.Text;
using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Upstreams;

/// <summary>
/// A configured provider with its own pooled HTTP client. The one place that knows how each dialect presents the
/// provider's credential, and the one place that removes it from text bound for a client or a log.
/// </summary>
internal sealed class Upstream : IDisposable
{
    /// <summary>The Anthropic API version Tollgate's translation is written against.</summary>
    public const string AnthropicVersion = "2023-06-01";

    private readonly string[] _secretForms;
    private readonly string? _bearer;

    public Upstream(ProviderSettings settings, HttpMessageHandler? handler = null)
    {
        Settings = settings;
        ChatUri = new Uri(settings.BaseUrl + "/chat/completions");
        EmbeddingsUri = new Uri(settings.BaseUrl + "/embeddings");
        Client = new HttpClient(handler ?? CreateHandler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _secretForms = SecretForms(settings.ApiKey);
        _bearer = string.IsNullOrEmpty(settings.ApiKey) ? null : "Bearer " + settings.ApiKey;
    }

    public ProviderSettings Settings { get; }
    public string Id => Settings.Id;
    public UpstreamDialect Dialect => Settings.Dialect;
    public Uri ChatUri { get; }
    public Uri EmbeddingsUri { get; }
    public HttpClient Client { get; }

    /// <summary>A JSON POST to <paramref name="uri"/> carrying <paramref name="body"/> and the provider's credential.</summary>
    public HttpRequestMessage CreateRequest(Uri uri, ReadOnlyMemory<byte> body)
    {
        // Header values as strings made once: a typed value (MediaTypeHeaderValue, AuthenticationHeaderValue) is an
        // object per request and a string per request again when the headers are written.
        var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ReadOnlyMemoryContent(body) };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        var key = Settings.ApiKey;
        switch (Dialect)
        {
            case UpstreamDialect.Anthropic:
                message.Headers.TryAddWithoutValidation("anthropic-version", AnthropicVersion);
                if (!string.IsNullOrEmpty(key))
                {
                    message.Headers.TryAddWithoutValidation("x-api-key", key);
                }

                break;
            case UpstreamDialect.Gemini:
                if (!string.IsNullOrEmpty(key))
                {
                    message.Headers.TryAddWithoutValidation("x-goog-api-key", key);
                }

                break;
            default:
                if (_bearer is not null)
                {
                    message.Headers.TryAddWithoutValidation("Authorization", _bearer);
                }

                break;
        }

        return message;
    }

    /// <summary>
    /// Removes the provider's credential from text that may reach a client or a log, in plain form and as JSON may
    /// escape it (<c>sk\u002d...</c>), so an upstream that echoes the key in an error does not hand it on.
    /// </summary>
    public string Scrub(string text)
    {
        foreach (var form in _secretForms)
        {
            text = text.Replace(form, "[redacted]", StringComparison.OrdinalIgnoreCase);
        }

        return text;
    }

    /// <summary><see cref="Scrub(string)"/> for UTF-8 bytes; returns the input itself when nothing needed removing.</summary>
    public byte[] Scrub(ReadOnlySpan<byte> utf8)
    {
        if (_secretForms.Length == 0)
        {
            return utf8.ToArray();
        }

        var text = Encoding.UTF8.GetString(utf8);
        return Encoding.UTF8.GetBytes(Scrub(text));
    }

    public void Dispose() => Client.Dispose();

    private static string[] SecretForms(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return [];
        }

        // Every character escaped (\u0073\u006b...) and only the non-alphanumerics escaped (sk\u002d...).
        var all = new StringBuilder();
        var symbols = new StringBuilder();
        foreach (var c in key)
        {
            var escaped = "\\u" + ((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture);
            all.Append(escaped);
            symbols.Append(char.IsAsciiLetterOrDigit(c) ? c.ToString() : escaped);
        }

        return new[] { key, all.ToString(), symbols.ToString() }.Distinct(StringComparer.Ordinal).ToArray();
    }

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
