namespace Tollgate.Gateway.Configuration;

/// <summary>One upstream provider as configured: where it is and how to authenticate.</summary>
public sealed record ProviderSettings
{
    public required string Id { get; init; }

    /// <summary>
    /// The URL prefix: <c>/chat/completions</c> and <c>/embeddings</c> are appended for <c>openai</c>,
    /// <c>/v1/messages</c> for <c>anthropic</c>, <c>/v1beta/models/{model}:generateContent</c> for <c>gemini</c>.
    /// </summary>
    public required string BaseUrl { get; init; }
    public string? ApiKey { get; init; }

    /// <summary>The wire format: <c>openai</c>, <c>anthropic</c> or <c>gemini</c> (see <see cref="UpstreamDialect"/>).</summary>
    public UpstreamDialect Dialect { get; init; } = UpstreamDialect.OpenAI;

    /// <summary>
    /// What a translated request does with a parameter the provider's API has no equivalent for: dropped and named in
    /// the <c>x-tollgate-dropped-params</c> response header (the default), or rejected with a 400 naming it.
    /// </summary>
    public UnsupportedParameterPolicy UnsupportedParameters { get; init; } = UnsupportedParameterPolicy.Drop;

    /// <summary>
    /// A free tier (<c>"free": true</c>): calls cost the user nothing, while the ledger still prices them at the catalog
    /// price so the savings show. The <c>free_first</c> strategy tries these first while their quota lasts.
    /// </summary>
    public bool Free { get; init; }

    /// <summary>This credential's quota (<c>limits</c>); null when none is configured.</summary>
    public ProviderLimits? Limits { get; init; }

    /// <summary>True for the built-in demo provider, which is served by the in-process emulator.</summary>
    public bool InProcessEmulator { get; init; }
}
