namespace Tollgate.Core.Catalog;

/// <summary>One model of one provider, with its limits and prices.</summary>
public sealed record ModelEntry
{
    /// <summary>Provider id, e.g. <c>openai</c>, <c>groq</c>.</summary>
    public required string Provider { get; init; }

    /// <summary>The name the provider itself uses, e.g. <c>gpt-4o</c> or <c>openai/gpt-oss-120b</c>.</summary>
    public required string Model { get; init; }

    /// <summary>Other names that reach the same model and price (dated snapshots, short names).</summary>
    public IReadOnlyList<string> Aliases { get; init => field = value ?? []; } = [];

    /// <summary><c>chat</c>, <c>embedding</c>, <c>audio</c>, <c>image</c>, <c>realtime</c>, ...</summary>
    public string Mode { get; init => field = value ?? "chat"; } = "chat";

    /// <summary>The most input tokens the model takes.</summary>
    public long? ContextWindow { get; init; }

    /// <summary>The most output tokens one call may produce.</summary>
    public long? MaxOutput { get; init; }

    public IReadOnlyList<string> Capabilities { get; init => field = value ?? []; } = [];

    public required ModelPrices Prices { get; init; }

    /// <summary>Where the prices come from: a seed file name or an imported file, and its date.</summary>
    public CatalogSource? Source { get; init; }

    /// <summary>
    /// Where the entry's gaps were filled from: a seed-priced entry whose seed states no context window, output limit,
    /// capabilities or unit prices takes those from the community entry of the same model. Its token prices are
    /// always the seed's (<see cref="Source"/>).
    /// </summary>
    public CatalogSource? FilledFrom { get; init; }

    /// <summary>The gateway-wide id, <c>provider/model</c>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Id => Provider + "/" + Model;
}
