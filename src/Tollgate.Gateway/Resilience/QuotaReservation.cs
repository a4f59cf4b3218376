namespace Tollgate.Gateway.Resilience;

/// <summary>
/// One request counted against its provider's quota by <see cref="ProviderQuotas.TryReserveAsync"/>, with the tokens
/// estimated at send; <see cref="ProviderQuotas.Settle"/> corrects them to the actual count.
/// </summary>
internal sealed class QuotaReservation
{
    internal QuotaReservation(ProviderQuotas.Counters? counters, ProviderQuotas.Reported reported, long estimatedTokens, long minute, long day, long reportVersion)
    {
        Counters = counters;
        Reported = reported;
        EstimatedTokens = estimatedTokens;
        Minute = minute;
        Day = day;
        ReportVersion = reportVersion;
    }

    public long EstimatedTokens { get; }

    internal ProviderQuotas.Counters? Counters { get; }

    internal ProviderQuotas.Reported Reported { get; }

    internal long Minute { get; }

    internal long Day { get; }

    internal long ReportVersion { get; }

    /// <summary>Counted in the shared store (so corrected there too), not only in this instance's counters.</summary>
    internal bool Shared { get; init; }

    internal int Settled;
}
