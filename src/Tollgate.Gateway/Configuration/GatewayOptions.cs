namespace Tollgate.Gateway.Configuration;

/// <summary>Everything the gateway is started with.</summary>
public sealed record GatewayOptions
{
    /// <summary>The default port: Tollgate listens on http://127.0.0.1:4000 unless told otherwise.</summary>
    public const int DefaultPort = 4000;

    public string DataDirectory { get; init; } = "data";

    /// <summary>The management key; generated and stored in the data directory when not given.</summary>
    public string? MasterKey { get; init; }

    public IReadOnlyList<ProviderSettings> Providers { get; init; } = [];

    /// <summary>Requests with a larger body get 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>How long an upstream may take to send its response headers (and, for streams, between reads).</summary>
    public TimeSpan UpstreamTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long stored Responses API responses are kept (<c>responses_retention_days</c>, 30 as OpenAI's).</summary>
    public TimeSpan ResponsesRetention { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Serve the built-in <c>demo</c> provider (the emulator, in process). On when no provider is configured.</summary>
    public bool Demo { get; init; }

    /// <summary>Model groups clients call by name (the <c>models</c> section), each over one or more deployments.</summary>
    public IReadOnlyList<ModelGroupSettings> Models { get; init; } = [];

    /// <summary>Retries, breakers and timeouts of routed requests (the <c>routing</c> section).</summary>
    public RoutingOptions Routing { get; init; } = new();

    /// <summary>Keyless access from browsers, limited per client IP, and the CORS allow-list.</summary>
    public PublicModeOptions Public { get; init; } = new();

    /// <summary>PostgreSQL for the ledger and keys (a postgres:// URL or an Npgsql connection string); null: SQLite in the data directory.</summary>
    public string? DatabaseUrl { get; init; }

    /// <summary>Redis for rate limits, max_parallel and budgets shared by several instances (redis://host:port[/db]); null: in memory.</summary>
    public string? RedisUrl { get; init; }

    /// <summary>How long a crashed instance's max_parallel slots and budget reservations stay taken in Redis.</summary>
    public TimeSpan RedisLease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Admit requests on keys with limits while Redis cannot be reached, instead of refusing them with 503.</summary>
    public bool FailOpen { get; init; }

    /// <summary>How log lines are written: text (default) or one JSON object per line.</summary>
    public LogFormat LogFormat { get; init; }

    /// <summary>
    /// Whether each request gets a log line at Information (category <c>Tollgate.Requests</c>: id, key id, model,
    /// provider, status, latency, cost). Off by default: a console line per request costs more than the gateway's own work.
    /// </summary>
    public bool LogRequests { get; init; }

    /// <summary>Flush each ledger journal line to the disk (survives a power loss, not only a kill; a disk flush per request).</summary>
    public bool LedgerFsync { get; init; }
}
