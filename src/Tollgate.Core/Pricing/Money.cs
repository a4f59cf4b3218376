namespace Tollgate.Core.Pricing;

/// <summary>Formatting helpers for USD amounts.</summary>
public static class Money
{
    /// <summary>The same value without trailing zeros, so 0.002500 prints as 0.0025.</summary>
    public static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;
}
