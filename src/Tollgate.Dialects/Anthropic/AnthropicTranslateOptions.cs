namespace Tollgate.Dialects.Anthropic;

/// <summary>How an OpenAI chat request is turned into an Anthropic Messages request.</summary>
public sealed record AnthropicTranslateOptions
{
    /// <summary>The upstream model name to send (the deployment's, not the client's alias).</summary>
    public required string Model { get; init; }

    /// <summary><c>max_tokens</c> when the client sends none (Anthropic requires one): the catalog's max output.</summary>
    public int DefaultMaxTokens { get; init; } = 4096;

    /// <summary>
    /// The model's output ceiling, if known: <c>max_tokens</c> raised to make room for a thinking budget is
    /// capped here. Null leaves it uncapped.
    /// </summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>Thinking budget for <c>reasoning_effort</c> "minimal" and "low".</summary>
    public int LowThinkingBudget { get; init; } = 1024;

    /// <summary>Thinking budget for <c>reasoning_effort</c> "medium".</summary>
    public int MediumThinkingBudget { get; init; } = 4096;

    /// <summary>Thinking budget for <c>reasoning_effort</c> "high".</summary>
    public int HighThinkingBudget { get; init; } = 16384;

    /// <summary>
    /// The name of the tool used to honour <c>response_format</c> (see <see cref="AnthropicRequestTranslator"/>).
    /// The response and stream translators must be given the same name.
    /// </summary>
    public string JsonToolName { get; init; } = AnthropicRequestTranslator.DefaultJsonToolName;
}
