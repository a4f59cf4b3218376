using System.Globalization;
using Tollgate.Emulator.Engine;

namespace Tollgate.Emulator.Knobs;

/// <summary>
/// Turns raw knob pairs (name, value) into <see cref="EmulatorKnobs"/>. Pairs come lowest precedence
/// first: the <c>#emulator</c> directive, then the <c>emulator</c> body field, then <c>x-emulator-*</c> headers.
/// </summary>
internal static class KnobParser
{
    public static EmulatorKnobs Parse(IEnumerable<KeyValuePair<string, string>> pairs, out EmulatorError? error)
    {
        error = null;
        var knobs = new EmulatorKnobs();
        foreach (var (rawName, rawValue) in pairs)
        {
            var name = rawName.Trim().ToLowerInvariant().Replace('-', '_');
            var value = rawValue.Trim();
            var param = "emulator." + name;
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
                    EmulatorFault? fault = value.ToLowerInvariant() switch
                    {
                        "" or "none" => EmulatorFault.None,
                        "cut" => EmulatorFault.Cut,
                        "hang" => EmulatorFault.Hang,
                        "no_usage" or "no-usage" => EmulatorFault.NoUsage,
                        _ => null,
                    };
                    if (fault is null)
                    {
                        error ??= Invalid(param, value, "one of none, cut, hang, no_usage");
                    }

                    knobs = knobs with { Fault = fault ?? EmulatorFault.None };
                    break;
                case "replay": knobs = knobs with { Replay = value.Length == 0 ? null : value }; break;
                case "tool": knobs = knobs with { Tool = value.Length == 0 ? null : value }; break;
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
