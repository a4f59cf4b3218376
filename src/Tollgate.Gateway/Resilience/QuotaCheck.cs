namespace Tollgate.Gateway.Resilience;

/// <summary>Whether a deployment's quota has room for one more request now, and if not, which limit and when it will.</summary>
internal readonly record struct QuotaCheck(bool HasRoom, DateTimeOffset? RoomAt, string? Limit)
{
    public static QuotaCheck Room => new(true, null, null);
}
