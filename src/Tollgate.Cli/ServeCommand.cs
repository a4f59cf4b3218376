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

/// <summary><c>tollgate serve</c>, and the host arguments <c>tollgate emulate</c> shares.</summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var (hostArgs, configPath) = HostArgs(args, "serve", defaultConfig: "tollgate.json");
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
        output.WriteLine($"Dashboard: {url}/ui/ (sign in with the master key)");
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

    /// <summary>
    /// Reads the command's options wherever they stand (<c>--port N</c>, <c>--port=N</c>), refusing unknown ones, and
    /// turns them into ASP.NET's arguments: <c>--port N</c> becomes <c>--urls http://127.0.0.1:N</c> for the gateway;
    /// the emulator reads <c>--port</c> and <c>--recordings</c> itself. <c>--config</c> is picked out for the gateway.
    /// </summary>
    internal static (string[] HostArgs, string? ConfigPath) HostArgs(string[] args, string command, string? defaultConfig)
    {
        var serve = command == "serve";
        var a = new CliArgs(args, command, new HashSet<string>(), serve ? new HashSet<string> { "port", "urls", "config" } : new HashSet<string> { "port", "urls", "recordings" });
        if (a.Positional.Count > 0)
        {
            throw new CliException($"'tollgate {command}' takes no arguments, not '{a.Positional[0]}'. 'tollgate {command} --help' lists its options.");
        }

        if (a.Has("port") && a.Has("urls"))
        {
            throw new CliException("Give --port or --urls, not both.");
        }

        var result = new List<string>();
        if (a.Get("port") is { } portText)
        {
            if (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port > 65535)
            {
                throw new CliException($"--port must be a port number, not '{portText}'.");
            }

            result.AddRange(serve ? ["--urls", $"http://127.0.0.1:{port}"] : ["--port", portText]);
        }

        if (a.Get("urls") is { } urls)
        {
            result.AddRange(["--urls", urls]);
        }

        if (a.Get("recordings") is { } recordings)
        {
            result.AddRange(["--recordings", recordings]);
        }

        var config = a.Get("config");
        if (config is not null && !File.Exists(config))
        {
            throw new CliException($"The config file '{config}' does not exist.");
        }

        if (config is null && defaultConfig is not null && File.Exists(defaultConfig))
        {
            config = defaultConfig;
        }

        return (result.ToArray(), config);
    }
}
