using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tollgate.Emulator;
using Tollgate.Gateway;
using Tollgate.Gateway.Configuration;

namespace Tollgate.Cli;

/// <summary><c>tollgate serve</c> and <c>tollgate emulate</c>.</summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var (hostArgs, configPath) = HostArgs(args, defaultConfig: "tollgate.json");
        var options = GatewayOptionsLoader.Load(Environment.GetEnvironmentVariable, configPath);
        await using var app = GatewayHost.Build(hostArgs, options, static () => new EmulatorHandler());
        await app.StartAsync().ConfigureAwait(false);

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var url = addresses.FirstOrDefault() ?? "";
        output.WriteLine($"Tollgate listening on {string.Join(", ", addresses)}");
        output.WriteLine($"Providers: {string.Join(", ", options.Providers.Select(p => p.Id))}{(options.Demo ? " (demo: the built-in emulator; set OPENAI_API_KEY or another provider key to use a real one)" : "")}");
        output.WriteLine($"Data directory: {Path.GetFullPath(options.DataDirectory)}");
        var engines = app.Services.GetRequiredService<Gateway.SharedState.StorageEngines>();
        output.WriteLine($"Ledger and keys: {engines.DatabaseDisplay}");
        output.WriteLine($"Limits and budgets: {engines.RedisDisplay}");
        var masterKey = app.Services.GetRequiredService<Gateway.Auth.MasterKey>();
        if (masterKey.NewKey is { } key)
        {
            output.WriteLine();
            output.WriteLine($"A master key was generated and saved to {Path.Combine(options.DataDirectory, "master.key")} (shown only now):");
            output.WriteLine($"  {key}");
            output.WriteLine("Use it as the API key, for example:");
            output.WriteLine($"  curl {url}/v1/chat/completions -H 'Authorization: Bearer {key}' -H 'Content-Type: application/json' \\");
            output.WriteLine($"    -d '{{\"model\":\"{(options.Demo ? "demo/demo-chat" : "gpt-4o-mini")}\",\"messages\":[{{\"role\":\"user\",\"content\":\"Hello\"}}]}}'");
            output.WriteLine();
        }

        output.Flush();
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> EmulateAsync(string[] args)
    {
        var (hostArgs, _) = HostArgs(args, defaultConfig: null);
        await using var app = EmulatorServer.Build(hostArgs);
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>Turns <c>--port N</c> into ASP.NET's <c>--urls</c> (on 127.0.0.1) and picks out <c>--config</c>.</summary>
    private static (string[] HostArgs, string? ConfigPath) HostArgs(string[] args, string? defaultConfig)
    {
        var result = new List<string>();
        string? config = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--port" when i + 1 < args.Length:
                    if (!int.TryParse(args[++i], out var port) || port is < 0 or > 65535)
                    {
                        throw new CliException($"--port must be a port number, not '{args[i]}'.");
                    }

                    result.Add("--urls");
                    result.Add($"http://127.0.0.1:{port}");
                    break;
                case "--config" when i + 1 < args.Length:
                    config = args[++i];
                    if (!File.Exists(config))
                    {
                        throw new CliException($"The config file '{config}' does not exist.");
                    }

                    break;
                default:
                    result.Add(args[i]);
                    break;
            }
        }

        if (config is null && defaultConfig is not null && File.Exists(defaultConfig))
        {
            config = defaultConfig;
        }

        return (result.ToArray(), config);
    }
}
