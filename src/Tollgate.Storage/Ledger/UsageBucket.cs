namespace Tollgate.Storage.Ledger;

/// <summary>The sums of one group in one time bucket; <see cref="UsageRow.Group"/> names the group.</summary>
public sealed record UsageBucket(DateTimeOffset Start, UsageRow Usage);
