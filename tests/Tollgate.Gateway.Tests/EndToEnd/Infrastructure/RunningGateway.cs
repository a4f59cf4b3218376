using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tollgate.Emulator;
using Tollgate.Gateway.Configuration;

namespace Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

/// <summary>A real gateway on 127.0.0.1 (a free port), with its logs captured. Disposing shuts it down cleanly.</summary>
internal sealed class RunningGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningGateway(WebApplication app, Uri address, GatewayOptions options)
    {
        _app = app;
        Address = address;
        Options = options;
    }

    /// <summary>The gateway's root, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; }

    /// <summary>The OpenAI base URL clients use: the root plus <c>/v1</c>.</summary>
    public Uri V1 => new(Address, "/v1");

    public GatewayOptions Options { get; }

    public static async Task<RunningGateway> StartAsync(GatewayOptions options, CapturedLogs logs)
    {
        // Everything down to Trace goes to the captured logs; the console gets warnings only.
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--Logging:LogLevel:Default", "Trace",
            "--Logging:Console:LogLevel:Default", "Warning",
        ];
        var app = GatewayHost.Build(args, options, static () => new EmulatorHandler());
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        await app.StartAsync();
        return new RunningGateway(app, new Uri(AddressOf(app)), options);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The address Kestrel bound for <c>--urls http://127.0.0.1:0</c>.</summary>
    public static string AddressOf(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
}
