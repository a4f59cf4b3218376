namespace Tollgate.Gateway.Configuration;

/// <summary>
/// A provider credential's quota (the <c>limits</c> of a provider in <c>tollgate.json</c>): requests and tokens per
/// minute and per UTC day. A null limit is not counted. The gateway counts these itself and corrects its counts from
/// the provider's rate-limit headers; routing skips a provider whose quota is used up.
/// </summary>
public sealed record ProviderLimits
{
    /// <summary>Requests per minute (<c>rpm</c>).</summary>
    public long? RequestsPerMinute { get; init; }

    /// <summary>Requests per UTC day (<c>rpd</c>).</summary>
    public long? RequestsPerDay { get; init; }

    /// <summary>Prompt plus output tokens per minute (<c>tpm</c>).</summary>
    public long? TokensPerMinute { get; init; }

    /// <summary>Prompt plus output tokens per UTC day (<c>tpd</c>).</summary>
    public long? TokensPerDay { get; init; }

    /// <summary>True when no limit is set.</summary>
    public bool IsEmpty => RequestsPerMinute is null && RequestsPerDay is null && TokensPerMinute is null && TokensPerDay is null;
}
