namespace Tollgate.Core.Pricing;

/// <summary>The cost of one call in USD, with its parts. Parts add up exactly to <see cref="Total"/>.</summary>
public sealed record Cost
{
    /// <summary>Uncached input tokens (text, audio and image).</summary>
    public decimal Input { get; init; }

    public decimal CacheRead { get; init; }

    public decimal CacheWrite { get; init; }

    /// <summary>Output tokens (text, reasoning, audio and image).</summary>
    public decimal Output { get; init; }

    /// <summary>Everything priced per unit rather than per token: images, characters, seconds, queries, requests, searches.</summary>
    public decimal Units { get; init; }

    public decimal Total => Input + CacheRead + CacheWrite + Output + Units;

    /// <summary>The tier the prices were taken from.</summary>
    public ServiceTier Tier { get; init; }

    /// <summary>True when the prompt passed the model's long-context threshold.</summary>
    public bool LongContext { get; init; }

    /// <summary>
    /// The unit counts the call reported that the model has no price for (<c>images</c>, <c>input_characters</c>,
    /// <c>output_seconds</c>, ...): they are not in <see cref="Total"/>, so a caller can mark the cost incomplete.
    /// </summary>
    public IReadOnlyList<string> Unpriced { get; init; } = [];
}
