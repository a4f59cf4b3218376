namespace Tollgate.Storage.Redis;

/// <summary>
/// Names of Tollgate's Redis keys under one prefix. Each name carries its counter or budget in a hash tag
/// (<c>{...}</c>), so the keys one script touches share a cluster slot.
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    public string Window(string counter, long windowEndTicks) => $"{Prefix}w:{{{counter}}}:{windowEndTicks}";

    public string Gauge(string counter) => $"{Prefix}g:{{{counter}}}";

    public (string State, string Leases, string Amounts) Budget(string id) =>
        ($"{Prefix}b:{{{id}}}", $"{Prefix}b:{{{id}}}:leases", $"{Prefix}b:{{{id}}}:amounts");

    /// <summary>One window of a provider quota; a provider's windows share its hash tag, as one script reads them all.</summary>
    public string Quota(string provider, string name, long windowEndTicks) => $"{Prefix}q:{{{provider}}}:{name}:{windowEndTicks}";

    /// <summary>The hash of open circuits (deployment to the end of its break).</summary>
    public string Circuits => $"{Prefix}circuits";

    /// <summary>The pub/sub channel that announces each circuit opened.</summary>
    public string CircuitChannel => $"{Prefix}circuits:opened";
}
