using System.Net;
using Tollgate.Storage.Keys;

namespace Tollgate.Gateway.Auth;

/// <summary>
/// Who is calling: the master key, a virtual key (<see cref="Virtual"/>, with its limits; <see cref="KeyId"/>
/// is its prefix), or an anonymous caller in public mode (<see cref="PublicClient"/>, key id <c>public</c>).
/// </summary>
internal sealed record KeyContext(string? KeyId, bool IsMaster)
{
    public static KeyContext Master { get; } = new(null, true);

    /// <summary>The virtual key's settings as cached when the request arrived.</summary>
    public VirtualKey? Virtual { get; init; }

    /// <summary>The client's address when the request came in keyless through public mode.</summary>
    public IPAddress? PublicClient { get; init; }

    public bool IsPublic => PublicClient is not null;

    public static KeyContext ForKey(VirtualKey key) => new(key.Prefix, false) { Virtual = key };

    public static KeyContext ForPublic(IPAddress client) => new("public", false) { PublicClient = client };
}
