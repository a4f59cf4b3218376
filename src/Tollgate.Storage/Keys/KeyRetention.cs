namespace Tollgate.Storage.Keys;

/// <summary>The budget periods a key's <c>limit.retention</c> may name.</summary>
public static class KeyRetention
{
    public const string Day = "day";
    public const string Week = "week";
    public const string Month = "month";
    public const string NoReset = "no_reset";

    /// <summary>True for one of the four known values.</summary>
    public static bool IsValid(string? value) => value is Day or Week or Month or NoReset;
}
