namespace Tollgate.Gateway.Auth;

/// <summary>Who is calling. Only the master key exists for now; virtual keys will carry their limits here.</summary>
internal sealed record KeyContext(string? KeyId, bool IsMaster)
{
    public static KeyContext Master { get; } = new(null, true);
}
