using System.Text.Json;
using Tollgate.Core.Usage;

namespace Tollgate.Dialects.Anthropic.Inbound;

/// <summary>
/// Reads an OpenAI <c>usage</c> object into <see cref="TokenUsage"/> for answers given in Anthropic's shape.
/// OpenAI's <c>prompt_tokens</c> includes cached tokens, so they are taken out of the plain input here.
/// </summary>
internal static class OpenAIUsageReader
{
    public static TokenUsage Read(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return TokenUsage.Empty;
        }

        var prompt = Long(usage, "prompt_tokens");
        var completion = Long(usage, "completion_tokens");
        var cached = usage.TryGetProperty("prompt_tokens_details", out var promptDetails) ? Long(promptDetails, "cached_tokens") : 0;
        // Tollgate's own extra field (and some providers'): cache writes counted inside prompt_tokens.
        var writes = Long(usage, "cache_creation_input_tokens");
        var reasoning = usage.TryGetProperty("completion_tokens_details", out var completionDetails) ? Long(completionDetails, "reasoning_tokens") : 0;
        // Some providers (xAI) leave reasoning out of completion_tokens but count it in total_tokens:
        // whatever the total holds beyond the prompt is output.
        var total = Long(usage, "total_tokens");
        completion = Math.Max(completion, total - prompt);
        return new TokenUsage
        {
            InputTokens = Math.Max(0, prompt - cached - writes),
            CacheReadTokens = cached,
            CacheWrite5mTokens = writes,
            OutputTokens = completion,
            ReasoningTokens = Math.Min(reasoning, completion),
        };
    }

    private static long Long(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : 0;
}
