namespace Tollgate.Emulator.Faults;

/// <summary>What the instance's fault rule decided for one request.</summary>
/// <param name="Knobs">Knob pairs to apply after the request's own (empty when the rule does not hit it).</param>
/// <param name="Quota">The quota after this request, when the rule has one: its answer reports it in headers.</param>
internal sealed record FaultDecision(IReadOnlyList<KeyValuePair<string, string>> Knobs, QuotaSnapshot? Quota)
{
    public static FaultDecision None { get; } = new([], null);
}
