namespace Tollgate.Storage.Redis;

/// <summary>
/// Names of Tollgate's Redis keys under one prefix. Each name carries its owner in a hash tag (<c>{...}</c>): a key's
/// gauge, windows and budget share one, as one script takes them together (they must share a cluster slot).
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    /// <summary>A counter's window; a counter is named <c>kind:owner</c> (<c>rpm:</c> and a key's prefix).</summary>
    public string Window(string counter, long windowEndTicks) => $"{Prefix}w:{{{Owner(counter)}}}:{counter}:{windowEndTicks}";

    /// <summary>A gauge, named as a counter.</summary>
    public string Gauge(string counter) => $"{Prefix}g:{{{Owner(counter)}}}:{counter}";

    public (string State, string Leases, string Amounts) Budget(string id) =>
        ($"{Prefix}b:{{{id}}}", $"{Prefix}b:{{{id}}}:leases", $"{Prefix}b:{{{id}}}:amounts");

    /// <summary>One window of a provider quota; a provider's windows share its hash tag, as one script reads them all.</summary>
    public string Quota(string provider, string name, long windowEndTicks) => $"{Prefix}q:{{{provider}}}:{name}:{windowEndTicks}";

    /// <summary>The hash of open circuits (deployment to the end of its break).</summary>
    public string Circuits => $"{Prefix}circuits";

    /// <summary>The pub/sub channel that announces each circuit opened.</summary>
    public string CircuitChannel => $"{Prefix}circuits:opened";

    private static string Owner(string counter) => counter.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 ? counter[(colon + 1)..] : counter;
}
