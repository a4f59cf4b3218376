using System.Globalization;

namespace Tollgate.Storage.Redis.Limits;

/// <summary>
/// Money as it crosses into Redis: whole nano-dollars (1e-9 USD) as decimal strings. Reservations and costs round up,
/// thresholds down, so rounding can only make a budget stricter.
/// </summary>
internal static class Nanos
{
    private const decimal PerUsd = 1_000_000_000m;

    // Lua's numbers are exact below 2^53 nano-dollars: about $9 million per budget and period.
    private const decimal MaxUsd = 9_007_199.254740992m;

    public static string Ceiling(decimal usd) => decimal.Ceiling(Clamp(usd) * PerUsd).ToString(CultureInfo.InvariantCulture);

    public static string Floor(decimal usd) => decimal.Floor(Clamp(usd) * PerUsd).ToString(CultureInfo.InvariantCulture);

    public static decimal Usd(string nanos) => long.Parse(nanos, CultureInfo.InvariantCulture) / PerUsd;

    private static decimal Clamp(decimal usd) => Math.Clamp(usd, -MaxUsd, MaxUsd);
}
