namespace Tollgate.Storage.Ledger;

/// <summary>
/// What <see cref="ILedger.SeriesAsync"/> sums: the entries of <c>[From, To)</c> (optionally one key's), per UTC
/// hour or day of their start, and per <see cref="GroupBy"/> within each bucket.
/// </summary>
public sealed record SeriesQuery
{
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }

    /// <summary>Only this key's entries; null for all keys.</summary>
    public string? KeyId { get; init; }

    public SeriesBucket Bucket { get; init; } = SeriesBucket.Hour;

    /// <summary><see cref="UsageGroup.None"/>, Key, Model or Provider (Day is the bucket's business).</summary>
    public UsageGroup GroupBy { get; init; }
}
