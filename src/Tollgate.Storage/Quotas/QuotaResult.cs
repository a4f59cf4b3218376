namespace Tollgate.Storage.Quotas;

/// <summary>
/// The outcome of <see cref="IQuotaStore.TryAddAsync"/>: whether the amounts fitted, the index of the first window
/// that had no room (-1 when they fitted), and each window's count afterwards (or as it stood when refused).
/// </summary>
public readonly record struct QuotaResult(bool Allowed, int Refused, IReadOnlyList<long> Counts);
