namespace Tollgate.Storage.Quotas;

/// <summary>
/// One counted window of a provider quota: <paramref name="Name"/> (<c>rpm</c>, <c>tpd</c>…) in the window ending at
/// <paramref name="WindowEnd"/> (UTC ticks, which also names the window), <paramref name="Amount"/> to add and the
/// <paramref name="Limit"/> to stay within. When <paramref name="EmptyAdmitsAny"/>, an empty window takes any amount
/// (a token estimate is an upper bound: the provider judges a request that could never fit).
/// </summary>
public readonly record struct QuotaWindow(string Name, long WindowEnd, long Amount, long Limit, bool EmptyAdmitsAny);
