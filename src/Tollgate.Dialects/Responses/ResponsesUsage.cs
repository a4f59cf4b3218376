using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Core.Usage;

namespace Tollgate.Dialects.Responses;

/// <summary>
/// The Responses API's <c>usage</c> object: <c>input_tokens</c> (cache reads included, as OpenAI counts them) with
/// <c>input_tokens_details.cached_tokens</c>, <c>output_tokens</c> (reasoning included) with
/// <c>output_tokens_details.reasoning_tokens</c>, <c>total_tokens</c>, and Tollgate's <c>cost</c>.
/// </summary>
public static class ResponsesUsage
{
    /// <summary>The usage object for <paramref name="usage"/> priced at <paramref name="cost"/> (left out when null).</summary>
    public static JsonObject ToJson(TokenUsage usage, decimal? cost)
    {
        ArgumentNullException.ThrowIfNull(usage);
        var json = new JsonObject
        {
            ["input_tokens"] = usage.PromptTokens,
            ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = usage.CacheReadTokens },
            ["output_tokens"] = usage.OutputTokens,
            ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = usage.ReasoningTokens },
            ["total_tokens"] = usage.TotalTokens,
        };
        if (cost is { } c)
        {
            json["cost"] = c;
        }

        return json;
    }

    /// <summary>Reads a Responses <c>usage</c> object (OpenAI's own); false when it is not one.</summary>
    public static bool TryRead(JsonNode? node, out TokenUsage usage)
    {
        usage = TokenUsage.Empty;
        if (node is not JsonObject obj || !TryLong(obj["input_tokens"], out var input) || !TryLong(obj["output_tokens"], out var output))
        {
            return false;
        }

        _ = TryLong((obj["input_tokens_details"] as JsonObject)?["cached_tokens"], out var cached);
        _ = TryLong((obj["output_tokens_details"] as JsonObject)?["reasoning_tokens"], out var reasoning);
        cached = Math.Min(cached, input);
        usage = new TokenUsage
        {
            InputTokens = input - cached,
            CacheReadTokens = cached,
            OutputTokens = output,
            ReasoningTokens = Math.Min(reasoning, output),
        };
        return true;
    }

    private static bool TryLong(JsonNode? node, out long value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out value) && value >= 0;
    }
}
