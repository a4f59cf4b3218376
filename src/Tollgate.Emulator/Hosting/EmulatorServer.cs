using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace Tollgate.Emulator;

/// <summary>The standalone emulator app behind <c>tollgate emulate</c>.</summary>
public static class EmulatorServer
{
    /// <summary>The port used when neither <c>--port</c> nor <c>--urls</c> is given.</summary>
    public const int DefaultPort = 4010;

    /// <summary>
    /// Builds (does not start) an app serving the emulator at the root. It binds 127.0.0.1 on
    /// <c>--port</c> (default 4010) unless <c>--urls</c> (or <c>ASPNETCORE_URLS</c>) says otherwise.
    /// </summary>
    /// <param name="args">
    /// Command-line arguments: <c>--port N</c>, <c>--urls URL</c>, <c>--recordings DIR</c> (for the <c>replay</c> knob),
    /// and the usual ASP.NET Core ones.
    /// </param>
    /// <param name="options">Server-wide defaults; null uses <see cref="EmulatorOptions"/> defaults.</param>
    public static WebApplication Build(string[] args, EmulatorOptions? options = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var portText = builder.Configuration["port"];
        if (portText is not null)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            {
                throw new ArgumentException($"Invalid --port '{portText}': expected a number from 0 to 65535.", nameof(args));
            }

            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }
        else if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{DefaultPort}");
        }

        if (builder.Configuration["recordings"] is { Length: > 0 } recordings)
        {
            options = WithRecordings(options ?? new EmulatorOptions(), Path.GetFullPath(recordings));
        }

        var app = builder.Build();
        app.MapEmulator("", options);
        return app;
    }

    private static EmulatorOptions WithRecordings(EmulatorOptions o, string recordings) => new()
    {
        Models = o.Models,
        DefaultLatency = o.DefaultLatency,
        DefaultTokensPerSecond = o.DefaultTokensPerSecond,
        ReplyText = o.ReplyText,
        MaxReplyWords = o.MaxReplyWords,
        EmbeddingDimensions = o.EmbeddingDimensions,
        RecordingsDirectory = recordings,
        TimeProvider = o.TimeProvider,
    };
}
