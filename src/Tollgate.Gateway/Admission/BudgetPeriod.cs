using Tollgate.Storage.Keys;

namespace Tollgate.Gateway.Admission;

/// <summary>UTC calendar periods of a budget: the day, the ISO week (from Monday) or the month; <c>no_reset</c> never ends.</summary>
internal static class BudgetPeriod
{
    public static DateTimeOffset Start(string retention, DateTimeOffset now)
    {
        var d = now.UtcDateTime.Date;
        return retention switch
        {
            KeyRetention.Day => new DateTimeOffset(d, TimeSpan.Zero),
            KeyRetention.Week => new DateTimeOffset(d.AddDays(-(((int)d.DayOfWeek + 6) % 7)), TimeSpan.Zero),
            KeyRetention.Month => new DateTimeOffset(d.Year, d.Month, 1, 0, 0, 0, TimeSpan.Zero),
            _ => DateTimeOffset.MinValue,
        };
    }

    /// <summary>When the period that contains <paramref name="now"/> ends; null for <c>no_reset</c>.</summary>
    public static DateTimeOffset? End(string retention, DateTimeOffset now) => retention switch
    {
        KeyRetention.Day => Start(retention, now).AddDays(1),
        KeyRetention.Week => Start(retention, now).AddDays(7),
        KeyRetention.Month => Start(retention, now).AddMonths(1),
        _ => null,
    };
}
