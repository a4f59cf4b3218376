using System.Globalization;
using Tollgate.Emulator.Engine;

namespace Tollgate.Emulator.Knobs;

/// <summary>
/// Turns raw knob pairs (name, value) into <see cref="EmulatorKnobs"/>. Pairs come lowest precedence
/// first: the <c>#emulator</c> directive, then the <c>emulator</c> body field, then <c>x-emulator-*</c> headers.
/// </summary>
internal static class KnobParser
{
    /// <summary>Every knob name <see cref="Parse"/> accepts, in the spelling the docs use.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "prompt_tokens", "completion_tokens", "cached_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens", "reasoning_tokens",
        "latency_ms", "ttft_ms", "tokens_per_second", "chunks", "status", "retry_after", "fault", "stall_ms", "context_window",
        "tool", "tool_args", "reply", "replay",
    ];

    /// <summary>The <c>fault</c> values, in the spelling the docs use (<c>-</c> is accepted for <c>_</c>).</summary>
    public static IReadOnlyList<string> Faults { get; } =
        ["none", "cut", "hang", "no_usage", "rate_limit", "reset", "stall_stream", "context_length", "overloaded"];

    /// <param name="pairs">Knob names and values, lowest precedence first.</param>
    /// <param name="error">The first invalid knob, as a 400 naming <paramref name="paramPrefix"/> + the knob.</param>
    /// <param name="paramPrefix">How errors name a knob: <c>emulator.</c> for requests, empty for a fault rule.</param>
    public static EmulatorKnobs Parse(IEnumerable<KeyValuePair<string, string>> pairs, out EmulatorError? error, string paramPrefix = "emulator.")
    {
        error = null;
        var knobs = new EmulatorKnobs();
        foreach (var (rawName, rawValue) in pairs)
        {
            var name = NormalizeName(rawName);
            var value = rawValue.Trim();
            var param = paramPrefix + name;
            switch (name)
            {
                case "prompt_tokens": knobs = knobs with { PromptTokens = Long(value, param, ref error) }; break;
                case "completion_tokens": knobs = knobs with { CompletionTokens = Long(value, param, ref error) }; break;
                case "cached_tokens": knobs = knobs with { CachedTokens = Long(value, param, ref error) }; break;
                case "cache_write_5m_tokens": knobs = knobs with { CacheWrite5mTokens = Long(value, param, ref error) }; break;
                case "cache_write_1h_tokens": knobs = knobs with { CacheWrite1hTokens = Long(value, param, ref error) }; break;
                case "reasoning_tokens": knobs = knobs with { ReasoningTokens = Long(value, param, ref error) }; break;
                case "latency_ms": knobs = knobs with { LatencyMs = Int(value, param, ref error) }; break;
                case "ttft_ms": knobs = knobs with { TtftMs = Int(value, param, ref error) }; break;
                case "chunks": knobs = knobs with { Chunks = Int(value, param, ref error, min: 1) }; break;
                case "retry_after": knobs = knobs with { RetryAfterSeconds = Int(value, param, ref error) }; break;
                case "stall_ms": knobs = knobs with { StallMs = Int(value, param, ref error) }; break;
                case "context_window":
                    var window = Long(value, param, ref error);
                    if (window == 0)
                    {
                        error ??= Invalid(param, value, "an integer >= 1");
                    }

                    knobs = knobs with { ContextWindow = window };
                    break;
                case "tokens_per_second":
                    if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var tps) && tps >= 0 && double.IsFinite(tps))
                    {
                        knobs = knobs with { TokensPerSecond = tps };
                    }
                    else
                    {
                        error ??= Invalid(param, value, "a number >= 0");
                    }

                    break;
                case "status":
                    var status = Int(value, param, ref error);
                    if (status is not null && status != 200 && status is < 400 or > 599)
                    {
                        error ??= Invalid(param, value, "200 or an error status from 400 to 599");
                    }

                    knobs = knobs with { Status = status };
                    break;
                case "fault":
                    EmulatorFault? fault = value.ToLowerInvariant().Replace('-', '_') switch
                    {
                        "" or "none" => EmulatorFault.None,
                        "cut" => EmulatorFault.Cut,
                        "hang" => EmulatorFault.Hang,
                        "no_usage" => EmulatorFault.NoUsage,
                        "rate_limit" => EmulatorFault.RateLimit,
                        "reset" => EmulatorFault.Reset,
                        "stall_stream" => EmulatorFault.StallStream,
                        "context_length" => EmulatorFault.ContextLength,
                        "overloaded" => EmulatorFault.Overloaded,
                        _ => null,
                    };
                    if (fault is null)
                    {
                        error ??= Invalid(param, value, "one of " + string.Join(", ", Faults));
                    }

                    knobs = knobs with { Fault = fault ?? EmulatorFault.None };
                    break;
                case "replay": knobs = knobs with { Replay = value.Length == 0 ? null : value }; break;
                case "tool": knobs = knobs with { Tool = value.Length == 0 ? null : value }; break;
                case "tool_args":
                    if (!IsJsonObject(value))
                    {
                        error ??= Invalid(param, value, "a JSON object");
                    }

                    knobs = knobs with { ToolArgs = value };
                    break;
                case "reply":
                    var reply = value.ToLowerInvariant();
                    if (reply is not ("echo" or "lorem"))
                    {
                        error ??= Invalid(param, value, "echo or lorem");
                    }

                    knobs = knobs with { Reply = reply };
                    break;
                default:
                    error ??= EmulatorError.InvalidRequest($"Unknown emulator knob '{name}'.", param, "unknown_parameter");
                    break;
            }
        }

        return knobs;
    }

    private static bool IsJsonObject(string value)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(value);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>A knob or rule field name as the parser compares it: trimmed, lower case, <c>_</c> between words (<c>-</c> accepted).</summary>
    public static string NormalizeName(string name) => name.Trim().ToLowerInvariant().Replace('-', '_');

    private static long? Long(string value, string param, ref EmulatorError? error)
    {
        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0)
        {
            return n;
        }

        error ??= Invalid(param, value, "an integer >= 0");
        return null;
    }

    private static int? Int(string value, string param, ref EmulatorError? error, int min = 0)
    {
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min)
        {
            return n;
        }

        error ??= Invalid(param, value, $"an integer >= {min}");
        return null;
    }

    private static EmulatorError Invalid(string param, string value, string expected) =>
        EmulatorError.InvalidRequest($"Invalid value for '{param}': expected {expected}, got '{value}'.", param, "invalid_value");
}
