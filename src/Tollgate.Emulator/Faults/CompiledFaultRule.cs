using Tollgate.Emulator.Engine;
using Tollgate.Emulator.Knobs;

namespace Tollgate.Emulator.Faults;

/// <summary>A fault rule checked once and made ready for every request: the knob pairs a hit request gets, and the endpoint filter.</summary>
internal sealed class CompiledFaultRule
{
    private readonly bool[]? _endpoints;

    private CompiledFaultRule(EmulatorFaultRule rule, List<KeyValuePair<string, string>> pairs, bool[]? endpoints)
    {
        Rule = rule;
        Pairs = pairs;
        _endpoints = endpoints;
    }

    public EmulatorFaultRule Rule { get; }

    /// <summary>Appended after the request's own knobs (headers included), so they win.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Pairs { get; }

    /// <summary>Whether only some requests are hit (<c>fail_next</c> / <c>fail_rate</c>); otherwise every request to the endpoints is.</summary>
    public bool Selective => Rule.FailNext is not null || Rule.FailRate is not null;

    public bool AppliesTo(int slot) => _endpoints is null || _endpoints[slot];

    /// <summary>Checks every field (naming the one at fault) and builds the pairs; null with <paramref name="error"/> when invalid.</summary>
    public static CompiledFaultRule? Compile(EmulatorFaultRule rule, out EmulatorError? error)
    {
        error = rule switch
        {
            { FailNext: < 0 } => EmulatorFaultRule.Invalid("fail_next", rule.FailNext.ToString()!, "an integer >= 0"),
            { FailRate: { } p } when !(p is >= 0 and <= 1) => EmulatorFaultRule.Invalid("fail_rate", p.ToString(System.Globalization.CultureInfo.InvariantCulture), "a number from 0 to 1"),
            { QuotaRequests: < 0 } => EmulatorFaultRule.Invalid("quota_requests", rule.QuotaRequests.ToString()!, "an integer >= 0"),
            { QuotaWindowSeconds: < 1 } => EmulatorFaultRule.Invalid("quota_window_s", rule.QuotaWindowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "an integer >= 1"),
            _ => null,
        };
        if (error is not null)
        {
            return null;
        }

        bool[]? endpoints = null;
        foreach (var name in rule.Endpoints ?? [])
        {
            var slot = EndpointNames.Slot(name);
            if (slot < 0)
            {
                error = EmulatorFaultRule.Invalid("endpoints", name, "endpoint names from " + string.Join(", ", EndpointNames.All));
                return null;
            }

            endpoints ??= new bool[EndpointNames.All.Count];
            endpoints[slot] = true;
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in rule.Knobs ?? new Dictionary<string, string>())
        {
            pairs.Add(new(KnobParser.NormalizeName(name), value ?? ""));
        }

        KnobParser.Parse(pairs, out error, paramPrefix: "");
        if (error is not null)
        {
            return null;
        }

        // The instance decides a hit request's outcome: its status or fault replaces the request's own, and a rule that
        // picks requests to fail without saying how fails them with a plain 500.
        var hasStatus = pairs.Exists(static p => p.Key == "status");
        var hasFault = pairs.Exists(static p => p.Key == "fault");
        var selective = rule.FailNext is not null || rule.FailRate is not null;
        if (hasStatus || hasFault || selective)
        {
            if (!hasStatus)
            {
                pairs.Add(new("status", hasFault ? "200" : "500"));
            }

            if (!hasFault)
            {
                pairs.Add(new("fault", "none"));
            }
        }

        return new CompiledFaultRule(rule, pairs, endpoints);
    }
}
