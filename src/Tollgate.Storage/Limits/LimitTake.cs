namespace Tollgate.Storage.Limits;

/// <summary>What one request takes of its key's limits (<see cref="ILimitStore.TryTakeAsync"/>); parts left null are not taken.</summary>
public sealed record LimitTake
{
    /// <summary>The <c>max_parallel</c> gauge: one slot while the request runs.</summary>
    public GaugeTake? Parallel { get; init; }

    /// <summary>The request window (RPM): usually 1.</summary>
    public WindowTake? Requests { get; init; }

    /// <summary>The token window (TPM, or tokens per day in public mode): the request's worst case.</summary>
    public WindowTake? Tokens { get; init; }

    /// <summary>The budget: the request's worst-case cost.</summary>
    public BudgetTake? Budget { get; init; }
}

/// <summary>A slot of the gauge <paramref name="Key"/>, if fewer than <paramref name="Limit"/> are held.</summary>
public readonly record struct GaugeTake(string Key, long Limit);

/// <summary>
/// <paramref name="Amount"/> added to <paramref name="Key"/>'s count in the fixed window ending at
/// <paramref name="WindowEnd"/> (UTC ticks, which also name the window), if the count stays within <paramref name="Limit"/>.
/// </summary>
public readonly record struct WindowTake(string Key, long WindowEnd, long Amount, long Limit);

/// <summary>
/// <paramref name="Amount"/> USD reserved on the budget <paramref name="Id"/> in its period (<paramref name="Retention"/>,
/// starting at <paramref name="PeriodStart"/>), if settled + reserved + amount stays within <paramref name="Threshold"/>.
/// </summary>
public readonly record struct BudgetTake(string Id, string Retention, DateTimeOffset PeriodStart, decimal Threshold, decimal Amount);
