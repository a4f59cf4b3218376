using System.Text.Json;
using Tollgate.Core.Usage;

namespace Tollgate.Dialects.Anthropic;

/// <summary>
/// Collects Anthropic usage numbers from one or more <c>usage</c> objects (a message's, or a stream's
/// <c>message_start</c> then <c>message_delta</c>). Later values replace earlier ones field by field,
/// because <c>message_delta</c> usage is cumulative and may omit fields (older API versions sent only
/// <c>output_tokens</c> there) or the 5m/1h split of cache writes.
/// </summary>
internal sealed class AnthropicUsageAccumulator
{
    private long _input;
    private long? _cacheWriteTotal;
    private long? _cacheWrite5m;
    private long? _cacheWrite1h;
    private long _cacheRead;
    private long _output;
    private long _thinking;

    public void Apply(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in usage.EnumerateObject())
        {
            switch (property.Name)
            {
                case "input_tokens" when TryLong(property.Value, out var v):
                    _input = v;
                    break;
                case "cache_creation_input_tokens" when TryLong(property.Value, out var v):
                    _cacheWriteTotal = v;
                    break;
                case "cache_read_input_tokens" when TryLong(property.Value, out var v):
                    _cacheRead = v;
                    break;
                case "output_tokens" when TryLong(property.Value, out var v):
                    _output = v;
                    break;
                case "cache_creation" when property.Value.ValueKind == JsonValueKind.Object:
                    if (property.Value.TryGetProperty("ephemeral_5m_input_tokens", out var m5) && TryLong(m5, out var v5))
                    {
                        _cacheWrite5m = v5;
                    }

                    if (property.Value.TryGetProperty("ephemeral_1h_input_tokens", out var h1) && TryLong(h1, out var v1))
                    {
                        _cacheWrite1h = v1;
                    }

                    break;
                case "output_tokens_details" when property.Value.ValueKind == JsonValueKind.Object:
                    if (property.Value.TryGetProperty("thinking_tokens", out var t) && TryLong(t, out var vt))
                    {
                        _thinking = vt;
                    }

                    break;
            }
        }
    }

    public TokenUsage ToTokenUsage()
    {
        long write5m;
        long write1h;
        if (_cacheWriteTotal is { } total)
        {
            // The total is authoritative; the split (possibly from an earlier event) says how much of it
            // lives an hour. Whatever the split does not account for is the default 5 minute cache.
            write1h = Math.Min(_cacheWrite1h ?? 0, total);
            write5m = total - write1h;
        }
        else
        {
            write5m = _cacheWrite5m ?? 0;
            write1h = _cacheWrite1h ?? 0;
        }

        return new TokenUsage
        {
            InputTokens = _input,
            CacheReadTokens = _cacheRead,
            CacheWrite5mTokens = write5m,
            CacheWrite1hTokens = write1h,
            OutputTokens = _output,
            ReasoningTokens = Math.Min(_thinking, _output),
        };
    }

    private static bool TryLong(JsonElement element, out long value)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value))
        {
            return true;
        }

        value = 0;
        return false;
    }
}
