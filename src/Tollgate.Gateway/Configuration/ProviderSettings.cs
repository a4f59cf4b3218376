namespace Tollgate.Gateway.Configuration;

/// <summary>One upstream provider as configured: where it is and how to authenticate.</summary>
public sealed record ProviderSettings
{
    public required string Id { get; init; }

    /// <summary>The URL prefix to which <c>/chat/completions</c> and <c>/embeddings</c> are appended.</summary>
    public required string BaseUrl { get; init; }
    public string? ApiKey { get; init; }

    /// <summary>The wire format: <c>openai</c> for now.</summary>
    public string Dialect { get; init; } = "openai";

    /// <summary>True for the built-in demo provider, which is served by the in-process emulator.</summary>
    public bool InProcessEmulator { get; init; }
}
