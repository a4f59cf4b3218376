using System.Collections.Concurrent;

namespace Tollgate.Gateway.Telemetry;

/// <summary>
/// Keeps a label's cardinality bounded: the first <c>capacity</c> distinct values pass as they are, later ones are
/// reported as <c>other</c>, so a flood of keys or model names cannot grow the metric series without end.
/// </summary>
internal sealed class BoundedLabel(int capacity)
{
    public const string Other = "other";
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);

    public string Of(string? value, string ifNull = "none")
    {
        if (value is null)
        {
            return ifNull;
        }

        if (_seen.ContainsKey(value))
        {
            return value;
        }

        // A race may let a few values past the cap; the bound stays within capacity plus the callers in flight.
        if (_seen.Count >= capacity)
        {
            return Other;
        }

        _seen.TryAdd(value, 0);
        return value;
    }
}
