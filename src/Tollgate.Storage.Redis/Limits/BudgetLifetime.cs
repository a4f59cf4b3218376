namespace Tollgate.Storage.Redis.Limits;

/// <summary>How long a budget's state lives in Redis: until well after its period ended (no_reset: for ever).</summary>
internal static class BudgetLifetime
{
    /// <summary>From <paramref name="nowMs"/>, in ms; 0 for ever.</summary>
    public static long Ms(string retention, DateTimeOffset periodStart, long nowMs)
    {
        var end = retention switch
        {
            "day" => periodStart.AddDays(2),
            "week" => periodStart.AddDays(8),
            "month" => periodStart.AddDays(32),
            _ => (DateTimeOffset?)null,
        };
        return end is { } e ? Math.Max(60_000, e.ToUnixTimeMilliseconds() - nowMs) : 0;
    }
}
