using System.Net;
using Microsoft.AspNetCore.Http;
using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Public;

/// <summary>
/// The client's IP for per-IP limits: the connection's address, unless that is a configured trusted proxy, in
/// which case <c>X-Forwarded-For</c> is walked from the right (the entry the proxy itself appended) past any
/// further trusted proxies. A header from anyone else is ignored, so clients cannot pick their own address.
/// </summary>
internal sealed class ClientAddressResolver
{
    private readonly IPNetwork[] _trusted;

    public ClientAddressResolver(GatewayOptions options)
    {
        _trusted = options.Public.TrustedProxies.Select(Parse).ToArray();
    }

    public IPAddress Resolve(HttpContext context)
    {
        var remote = Normalize(context.Connection.RemoteIpAddress ?? IPAddress.IPv6None);
        if (!IsTrusted(remote))
        {
            return remote;
        }

        var header = context.Request.Headers["X-Forwarded-For"];
        var client = remote;
        for (var h = header.Count - 1; h >= 0; h--)
        {
            var parts = (header[h] ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            for (var i = parts.Length - 1; i >= 0; i--)
            {
                if (!IPAddress.TryParse(parts[i], out var hop))
                {
                    return client;
                }

                client = Normalize(hop);
                if (!IsTrusted(client))
                {
                    return client;
                }
            }
        }

        return client;
    }

    private bool IsTrusted(IPAddress address)
    {
        foreach (var net in _trusted)
        {
            if (net.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static IPAddress Normalize(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;

    private static IPNetwork Parse(string value)
    {
        if (value.Contains('/', StringComparison.Ordinal))
        {
            return IPNetwork.Parse(value);
        }

        var address = Normalize(IPAddress.Parse(value));
        return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
    }
}
