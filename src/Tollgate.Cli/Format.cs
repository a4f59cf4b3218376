using System.Globalization;
using Tollgate.Core.Pricing;

namespace Tollgate.Cli;

/// <summary>How the CLI prints numbers: counts with thousands separators, money without trailing zeros.</summary>
internal static class Format
{
    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Usd(decimal v) => "$" + Money.Normalize(v).ToString(CultureInfo.InvariantCulture);

    public static string Price(decimal? p) => p is { } v ? Money.Normalize(v).ToString(CultureInfo.InvariantCulture) : "-";
}
