using Tollgate.Core.Usage;

namespace Tollgate.Dialects.Anthropic;

/// <summary>How Anthropic responses and streams are written in OpenAI's shape.</summary>
public sealed record AnthropicResponseOptions
{
    /// <summary>The <c>created</c> timestamp (Unix seconds), from the gateway's <see cref="TimeProvider"/>.</summary>
    public long Created { get; init; }

    /// <summary>The model name to report to the client; null reports the upstream's own.</summary>
    public string? Model { get; init; }

    /// <summary>
    /// The tool that carried a <c>response_format</c> schema (<see cref="AnthropicTranslateResult.JsonToolName"/>),
    /// or null: its input comes back as message content and its <c>tool_use</c> stop as <c>stop</c>.
    /// </summary>
    public string? JsonToolName { get; init; }

    /// <summary>Prices the final usage so <c>usage.cost</c> can be written; null leaves <c>cost</c> out.</summary>
    public Func<TokenUsage, decimal?>? Cost { get; init; }

    /// <summary>For streams: whether the client asked for <c>stream_options.include_usage</c> (a final usage chunk).</summary>
    public bool IncludeUsage { get; init; }
}
