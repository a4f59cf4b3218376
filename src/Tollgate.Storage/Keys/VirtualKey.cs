namespace Tollgate.Storage.Keys;

/// <summary>
/// A virtual key as stored: its SHA-256 hash (never the key itself), its limits and its settings.
/// <see cref="Prefix"/> (the key's first 8 characters) is its id in URLs and in the ledger.
/// </summary>
public sealed record VirtualKey
{
    /// <summary>The first 8 characters of the key; unique, never reused, even after deletion.</summary>
    public required string Prefix { get; init; }

    /// <summary>Lower-case hex SHA-256 of the full key.</summary>
    public required string Hash { get; init; }

    public string? Name { get; init; }
    public bool Disabled { get; init; }

    /// <summary>Endpoints the key may call (<c>model:chat</c>, <c>model:embedding</c>, <c>model:messages</c>); empty means all.</summary>
    public IReadOnlyList<string> Scopes { get; init => field = value ?? []; } = [];

    /// <summary>The budget period: <c>day</c>, <c>week</c>, <c>month</c> (UTC calendar periods) or <c>no_reset</c>.</summary>
    public string Retention { get; init => field = value ?? KeyRetention.NoReset; } = KeyRetention.NoReset;

    /// <summary>The spending limit per period in USD; null means no budget.</summary>
    public decimal? Threshold { get; init; }

    /// <summary>Requests per minute; null means unlimited.</summary>
    public int? Rpm { get; init; }

    /// <summary>Tokens per minute; null means unlimited.</summary>
    public long? Tpm { get; init; }

    /// <summary>Requests in flight at once; null means unlimited.</summary>
    public int? MaxParallel { get; init; }

    /// <summary>
    /// The output-clamp setting (<c>limit.clamp</c>, <c>limit.clamp_min_output</c>): null clamps with the default minimum
    /// of <see cref="DefaultClampMinOutput"/> output tokens, a positive number clamps with that minimum, 0 never clamps
    /// (<c>limit.clamp: false</c>: a request whose worst case the budget cannot cover is refused).
    /// </summary>
    public long? ClampMinOutput { get; init; }

    /// <summary>Whether admission may lower a request's output limit to what the budget covers, rather than refuse it.</summary>
    public bool Clamp => ClampMinOutput != 0;

    /// <summary>The fewest output tokens a clamped request may be left with (<see cref="ClampMinOutput"/> when set).</summary>
    public long ClampMinimum => ClampMinOutput is > 0 and var m ? m : DefaultClampMinOutput;

    /// <summary>The minimum output a clamp leaves when the key sets none: enough for a useful answer.</summary>
    public const long DefaultClampMinOutput = 1_024;

    /// <summary>Model globs such as <c>groq/*</c> or <c>openai/gpt-4o*</c>; empty means every model.</summary>
    public IReadOnlyList<string> AllowedModels { get; init => field = value ?? []; } = [];

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Free-form string pairs kept for the owner (team, purpose, ...).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init => field = value ?? s_empty; } = s_empty;

    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Set when the key was deleted; a deleted key authenticates no more but its prefix stays taken.</summary>
    public DateTimeOffset? DeletedAt { get; init; }

    private static readonly Dictionary<string, string> s_empty = [];
}
