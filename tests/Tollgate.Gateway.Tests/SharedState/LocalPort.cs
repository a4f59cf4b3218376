using System.Net;
using System.Net.Sockets;

namespace Tollgate.Gateway.Tests.SharedState;

/// <summary>Loopback ports for servers the tests start as processes.</summary>
internal static class LocalPort
{
    /// <summary>A port free on 127.0.0.1 now.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until something accepts connections on <paramref name="port"/>; throws when <paramref name="exited"/> says the server died, or after 30 s.</summary>
    public static async Task WaitListeningAsync(int port, Func<bool> exited, string what)
    {
        for (var i = 0; i < 600; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                if (exited())
                {
                    throw new InvalidOperationException($"{what} exited at start.");
                }

                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"{what} did not listen on port {port} within 30 s.");
    }
}
