using System.Globalization;
using System.Text;
using System.Text.Json;
using Tollgate.Emulator.Engine;
using Tollgate.Emulator.Faults;
using Tollgate.Emulator.Knobs;

namespace Tollgate.Emulator;

/// <summary>
/// The faults of one emulator instance (docs/EMULATOR.md, "Per-instance faults"): which requests they hit
/// (<see cref="FailNext"/>, <see cref="FailRate"/>, <see cref="Endpoints"/>), the <see cref="Knobs"/> those requests
/// get, and an optional request quota. Set at start with <see cref="EmulatorOptions.Faults"/> (or the flags of
/// <c>tollgate emulate</c>), at run time with <c>POST /_emulator/faults</c> (the JSON of <see cref="Parse"/>) or
/// <see cref="EmulatorControl.SetFaults"/>.
/// </summary>
public sealed record EmulatorFaultRule
{
    private static readonly Dictionary<string, string> NoKnobs = [];

    /// <summary>The names of the rule's own fields; every other name in the JSON is a knob.</summary>
    public static IReadOnlyList<string> RuleFields { get; } = ["fail_next", "fail_rate", "seed", "endpoints", "quota_requests", "quota_window_s"];

    /// <summary>Every name <see cref="Parse"/> accepts: <see cref="RuleFields"/>, then the knob names.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. RuleFields, .. KnobParser.Names];

    /// <summary>The names of the endpoints <see cref="Endpoints"/> may list (and the request counters report).</summary>
    public static IReadOnlyList<string> EndpointNames { get; } = Faults.EndpointNames.All;

    /// <summary>The rule hits the next N requests (to its endpoints), then no more unless <see cref="FailRate"/> is set. Null: not counted.</summary>
    public int? FailNext { get; init; }

    /// <summary>
    /// The probability (0 to 1) that a request is hit, drawn per request once <see cref="FailNext"/> is used up;
    /// with a <see cref="Seed"/> the same sequence of requests is hit every run.
    /// </summary>
    public double? FailRate { get; init; }

    /// <summary>Seed of the random draws of <see cref="FailRate"/>; null draws a new sequence each time the rule is set.</summary>
    public int? Seed { get; init; }

    /// <summary>The endpoints the rule (and its quota) applies to, by name (<see cref="EndpointNames"/>); empty means all.</summary>
    public IReadOnlyList<string> Endpoints { get; init; } = [];

    /// <summary>
    /// A request quota: every request to the rule's endpoints takes one; successful answers carry the provider's
    /// remaining-requests header, and once none is left the answer is <c>fault=rate_limit</c> until the window resets.
    /// </summary>
    public int? QuotaRequests { get; init; }

    /// <summary>Length of the quota window in seconds, starting at the first request of a window (default 60).</summary>
    public int QuotaWindowSeconds { get; init; } = 60;

    /// <summary>
    /// The knobs a hit request gets (names and values as in the <c>emulator</c> body field, e.g. <c>status</c> = <c>503</c>).
    /// They win over the request's own knobs, and when they set <c>status</c> or <c>fault</c> they decide the outcome
    /// alone. A rule with <see cref="FailNext"/> or <see cref="FailRate"/> but neither status nor fault answers 500.
    /// </summary>
    public IReadOnlyDictionary<string, string> Knobs { get; init; } = NoKnobs;

    /// <summary>Reads a rule from the JSON <c>POST /_emulator/faults</c> takes, e.g. <c>{"fail_next": 2, "status": 503}</c>.</summary>
    /// <exception cref="FormatException">The JSON is malformed or a field is invalid; the message names the field.</exception>
    public static EmulatorFaultRule Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TryParse(Encoding.UTF8.GetBytes(json), out var error) ?? throw new FormatException(error!.Message);
    }

    /// <summary>The rule as the JSON <see cref="Parse"/> reads: rule fields first, then the knobs.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            WriteTo(w);
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    internal void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        if (FailNext is { } next)
        {
            w.WriteNumber("fail_next", next);
        }

        if (FailRate is { } rate)
        {
            w.WriteNumber("fail_rate", rate);
        }

        if (Seed is { } seed)
        {
            w.WriteNumber("seed", seed);
        }

        if (Endpoints.Count > 0)
        {
            w.WriteStartArray("endpoints");
            foreach (var endpoint in Endpoints)
            {
                w.WriteStringValue(endpoint);
            }

            w.WriteEndArray();
        }

        if (QuotaRequests is { } quota)
        {
            w.WriteNumber("quota_requests", quota);
            w.WriteNumber("quota_window_s", QuotaWindowSeconds);
        }

        foreach (var (name, value) in Knobs)
        {
            // Knob values are kept as text (headers and directives give text); numbers go back out as numbers.
            if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n.ToString(CultureInfo.InvariantCulture) == value)
            {
                w.WriteNumber(name, n);
            }
            else if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && d.ToString("R", CultureInfo.InvariantCulture) == value)
            {
                w.WriteNumber(name, d);
            }
            else
            {
                w.WriteString(name, value);
            }
        }

        w.WriteEndObject();
    }

    internal static EmulatorFaultRule? TryParse(ReadOnlyMemory<byte> json, out EmulatorError? error)
    {
        error = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            error = EmulatorError.InvalidRequest("The fault rule is not valid JSON.");
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = EmulatorError.InvalidRequest("The fault rule must be a JSON object, e.g. {\"fail_next\": 2, \"status\": 503}.");
                return null;
            }

            var rule = new EmulatorFaultRule();
            var knobs = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var field in document.RootElement.EnumerateObject())
            {
                var name = KnobParser.NormalizeName(field.Name);
                if (field.Value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                if (name == "endpoints")
                {
                    rule = ReadEndpoints(rule, field.Value, ref error);
                    continue;
                }

                if (Text(field.Value) is not { } text)
                {
                    error ??= Invalid(name, field.Value.GetRawText(), "a string or a number");
                    continue;
                }

                rule = name switch
                {
                    "fail_next" => rule with { FailNext = Int(name, text, ref error) },
                    "fail_rate" => rule with { FailRate = Double(name, text, ref error) },
                    "seed" => rule with { Seed = Int(name, text, ref error, min: int.MinValue) },
                    "quota_requests" => rule with { QuotaRequests = Int(name, text, ref error) },
                    "quota_window_s" => rule with { QuotaWindowSeconds = Int(name, text, ref error) ?? 60 },
                    _ => rule,
                };
                if (!RuleFields.Contains(name))
                {
                    knobs[name] = text;
                }
            }

            if (error is not null)
            {
                return null;
            }

            rule = rule with { Knobs = knobs };
            return CompiledFaultRule.Compile(rule, out error) is null ? null : rule;
        }
    }

    private static EmulatorFaultRule ReadEndpoints(EmulatorFaultRule rule, JsonElement value, ref EmulatorError? error)
    {
        IEnumerable<string?> names = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            JsonValueKind.Array => value.EnumerateArray().Select(static e => e.ValueKind == JsonValueKind.String ? e.GetString() : null),
            _ => [null],
        };
        var list = names.ToList();
        if (list.Contains(null))
        {
            error ??= Invalid("endpoints", value.GetRawText(), "an array of endpoint names (or one comma-separated string)");
            return rule;
        }

        return rule with { Endpoints = list! };
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static int? Int(string name, string text, ref EmulatorError? error, int min = 0)
    {
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min)
        {
            return n;
        }

        error ??= Invalid(name, text, min == int.MinValue ? "an integer" : $"an integer >= {min}");
        return null;
    }

    private static double? Double(string name, string text, ref EmulatorError? error)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d is >= 0 and <= 1)
        {
            return d;
        }

        error ??= Invalid(name, text, "a number from 0 to 1");
        return null;
    }

    internal static EmulatorError Invalid(string name, string value, string expected) =>
        EmulatorError.InvalidRequest($"Invalid value for '{name}': expected {expected}, got '{value}'.", name, "invalid_value");
}
