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
    private static readonly HashSet<string> ServeFlags = ["log-requests"];
    private static readonly HashSet<string> ServeOptions = ["port", "urls", "config", "log-format"];

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var (hostArgs, configPath) = HostArgs(args, "serve", defaultConfig: "tollgate.json");
        var options = WithLogOptions(GatewayOptionsLoader.Load(Environment.GetEnvironmentVariable, configPath), args);
        await using var app = GatewayHost.Build(hostArgs, options, static () => new EmulatorHandler());
        await app.StartAsync().ConfigureAwait(false);

        // With JSON logs, stdout carries only JSON lines (for a log shipper): the banner goes to stderr.
        var banner = options.LogFormat == LogFormat.Json ? Console.Error : output;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var url = addresses.FirstOrDefault() ?? "";
        banner.WriteLine($"Tollgate listening on {string.Join(", ", addresses)}");
        banner.WriteLine($"Providers: {string.Join(", ", options.Providers.Select(p => p.Id))}{(options.Demo ? " (demo: the built-in emulator; set OPENAI_API_KEY or another provider key to use a real one)" : "")}");
        banner.WriteLine($"Data directory: {Path.GetFullPath(options.DataDirectory)}");
        var engines = app.Services.GetRequiredService<Gateway.SharedState.StorageEngines>();
        banner.WriteLine($"Ledger and keys: {engines.DatabaseDisplay}");
        banner.WriteLine($"Limits and budgets: {engines.RedisDisplay}");
        banner.WriteLine($"Dashboard: {url}/ui/ (sign in with the master key)");
        var masterKey = app.Services.GetRequiredService<Gateway.Auth.MasterKey>();
        if (masterKey.NewKey is { } key)
        {
            banner.WriteLine();
            banner.WriteLine($"A master key was generated and saved to {Path.Combine(options.DataDirectory, "master.key")} (shown only now):");
            banner.WriteLine($"  {key}");
            banner.WriteLine("Use it as the API key, for example:");
            banner.WriteLine($"  curl {url}/v1/chat/completions -H 'Authorization: Bearer {key}' -H 'Content-Type: application/json' \\");
            banner.WriteLine($"    -d '{{\"model\":\"{(options.Demo ? "demo/demo-chat" : "gpt-4o-mini")}\",\"messages\":[{{\"role\":\"user\",\"content\":\"Hello\"}}]}}'");
            banner.WriteLine();
        }

        banner.Flush();
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary><c>--log-format text|json</c> and <c>--log-requests</c>, which win over the file and the environment.</summary>
    internal static GatewayOptions WithLogOptions(GatewayOptions options, string[] args)
    {
        var a = new CliArgs(args, "serve", ServeFlags, ServeOptions);
        if (a.Get("log-format") is { } format)
        {
            options = options with { LogFormat = GatewayOptionsLoader.ParseLogFormat(format, "--log-format") };
        }

        return a.Has("log-requests") ? options with { LogRequests = true } : options;
    }

    /// <summary>
    /// Reads the command's options wherever they stand (<c>--port N</c>, <c>--port=N</c>), refusing unknown ones, and
    /// turns them into ASP.NET's arguments: <c>--port N</c> becomes <c>--urls http://127.0.0.1:N</c> for the gateway;
    /// the emulator reads <c>--port</c> and <c>--recordings</c> itself. <c>--config</c> is picked out for the gateway.
    /// </summary>
    internal static (string[] HostArgs, string? ConfigPath) HostArgs(string[] args, string command, string? defaultConfig)
    {
        var serve = command == "serve";
        var a = serve ? new CliArgs(args, command, ServeFlags, ServeOptions) : new CliArgs(args, command, new HashSet<string>(), new HashSet<string> { "port", "urls", "recordings" });
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
