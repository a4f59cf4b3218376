namespace Tollgate.Storage.Ledger;

/// <summary>The width of a time bucket of <see cref="ILedger.SeriesAsync"/>: a UTC hour or a UTC calendar day.</summary>
public enum SeriesBucket
{
    Hour,
    Day,
}
