using Tollgate.Storage.Limits;

namespace Tollgate.Storage.Redis.Tests.Limits;

/// <summary>Takes of one part, as a key with one limit makes them.</summary>
internal static class Takes
{
    public static LimitTake Tokens(string key, long windowEnd, long amount, long limit) => new() { Tokens = new WindowTake(key, windowEnd, amount, limit) };

    public static LimitTake Requests(string key, long windowEnd, long amount, long limit) => new() { Requests = new WindowTake(key, windowEnd, amount, limit) };

    public static LimitTake Parallel(string key, long limit) => new() { Parallel = new GaugeTake(key, limit) };

    public static LimitTake Budget(string id, string retention, DateTimeOffset periodStart, decimal threshold, decimal amount) =>
        new() { Budget = new BudgetTake(id, retention, periodStart, threshold, amount) };

    /// <summary>Takes <paramref name="take"/> and returns it with its outcome, to give back.</summary>
    public static async Task<(LimitTake Take, LimitOutcome Outcome)> TakeAsync(this ILimitStore store, LimitTake take) => (take, await store.TryTakeAsync(take));

    /// <summary>Gives back a budget take at <paramref name="cost"/>.</summary>
    public static ValueTask SettleAsync(this ILimitStore store, (LimitTake Take, LimitOutcome Outcome) taken, decimal cost) =>
        store.GiveBackAsync(taken.Take, taken.Outcome, 0, cost);
}
