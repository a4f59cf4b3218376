namespace Tollgate.Gateway.Configuration;

/// <summary>
/// Public mode (the <c>public</c> section of <c>tollgate.json</c>): requests without a key may call the listed
/// models, limited per client IP. Off by default. The CORS allow-list applies whether or not public mode is on.
/// </summary>
public sealed record PublicModeOptions
{
    public bool Enabled { get; init; }

    /// <summary>Model globs (<c>demo/*</c>, <c>groq/llama-3.1-8b-instant</c>) callable without a key. Empty: none.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>Requests per minute per client IP.</summary>
    public int RequestsPerMinute { get; init; } = 10;

    /// <summary>Prompt and output tokens per UTC day per client IP; null for no limit.</summary>
    public long? TokensPerDay { get; init; } = 100_000;

    /// <summary>USD per UTC day per client IP; null for no limit. Unpriced models are refused when set.</summary>
    public decimal? UsdPerDay { get; init; } = 0.10m;

    /// <summary>
    /// Per-IP limits count an IPv6 client by its first this many bits (64: a /64, what one subscriber or host gets),
    /// so rotating addresses inside one prefix does not escape them. IPv4 clients are counted per address.
    /// </summary>
    public int Ipv6PrefixLength { get; init; } = 64;

    /// <summary>Addresses or CIDR ranges of reverse proxies whose <c>X-Forwarded-For</c> is believed.</summary>
    public IReadOnlyList<string> TrustedProxies { get; init; } = [];

    /// <summary>Origins (<c>https://app.example.com</c>) allowed by CORS; <c>*</c> allows any, never with credentials.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];
}
