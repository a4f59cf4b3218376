namespace Tollgate.Gateway.Routing;

/// <summary>What a strategy knows of the request it orders deployments for: its size.</summary>
/// <param name="EstimatedPromptTokens">The prompt's estimated tokens (an upper bound, as admission computes it).</param>
/// <param name="MaxOutputTokens">The most output the request may produce (its max_tokens, or the model's limit).</param>
internal readonly record struct RoutingRequest(long EstimatedPromptTokens, long MaxOutputTokens)
{
    /// <summary>Prompt plus output: what a provider's token quota is charged with at send.</summary>
    public long EstimatedTokens => EstimatedPromptTokens + MaxOutputTokens;
}
