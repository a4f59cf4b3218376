namespace Tollgate.Core.Pricing;

/// <summary>The cost of one call in USD, with its parts. Parts add up exactly to <see cref="Total"/>.</summary>
public sealed record Cost
{
    public decimal Input { get; init; }
    public decimal CacheRead { get; init; }
    public decimal CacheWrite { get; init; }
    public decimal Output { get; init; }
    public decimal Total => Input + CacheRead + CacheWrite + Output;

    /// <summary>The tier the prices were taken from.</summary>
    public ServiceTier Tier { get; init; }

    /// <summary>True when the prompt passed the model's long-context threshold.</summary>
    public bool LongContext { get; init; }
}
