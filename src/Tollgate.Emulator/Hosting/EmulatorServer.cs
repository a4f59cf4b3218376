using System.Globalization;
using System.Text;
using System.Text.Json;
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
    /// the instance's fault rule (<c>--faults JSON</c> and one flag per field or knob, e.g. <c>--fail-next 2 --status 503</c>:
    /// see <see cref="EmulatorFaultRule.Names"/>), and the usual ASP.NET Core ones.
    /// </param>
    /// <param name="options">Server-wide defaults; null uses <see cref="EmulatorOptions"/> defaults. Fault flags replace the rule of its <see cref="EmulatorOptions.Control"/>.</param>
    /// <exception cref="ArgumentException">A bad <c>--port</c> or fault flag; the message names it.</exception>
    /// <summary>Whether <paramref name="flag"/> (without its dashes; <c>-</c> or <c>_</c> between words) is an option <see cref="Build"/> reads.</summary>
    public static bool IsOption(string flag)
    {
        var name = Knobs.KnobParser.NormalizeName(flag);
        return name is "port" or "urls" or "recordings" or "faults" || EmulatorFaultRule.Names.Contains(name);
    }

    public static WebApplication Build(string[] args, EmulatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var faults = TakeFaultArgs(args, out var hostArgs);
        var builder = WebApplication.CreateSlimBuilder(hostArgs);
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

        options ??= new EmulatorOptions();
        if (builder.Configuration["recordings"] is { Length: > 0 } recordings)
        {
            options = WithRecordings(options, Path.GetFullPath(recordings));
        }

        if (faults is not null)
        {
            options.Control.SetFaults(faults);
        }

        var app = builder.Build();
        app.MapEmulator("", options);
        return app;
    }

    /// <summary>
    /// Takes the fault flags out of <paramref name="args"/>: <c>--faults JSON</c> (the body of <c>POST /_emulator/faults</c>),
    /// then <c>--NAME VALUE</c> or <c>--NAME=VALUE</c> for any name of <see cref="EmulatorFaultRule.Names"/> (<c>-</c> or <c>_</c>
    /// between words), which win over the same field of the JSON. Null when there is none.
    /// </summary>
    private static EmulatorFaultRule? TakeFaultArgs(string[] args, out string[] rest)
    {
        string? json = null;
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        var kept = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var flag = arg.StartsWith("--", StringComparison.Ordinal) ? Knobs.KnobParser.NormalizeName(eq > 0 ? arg[2..eq] : arg[2..]) : null;
            if (flag is null || (flag != "faults" && !EmulatorFaultRule.Names.Contains(flag)))
            {
                kept.Add(arg);
                continue;
            }

            string value;
            if (eq > 0)
            {
                value = arg[(eq + 1)..];
            }
            else if (i + 1 < args.Length)
            {
                value = args[++i];
            }
            else
            {
                throw new ArgumentException($"{arg} needs a value.", nameof(args));
            }

            if (flag == "faults")
            {
                json = value;
            }
            else
            {
                flags[flag] = value;
            }
        }

        rest = [.. kept];
        if (json is null && flags.Count == 0)
        {
            return null;
        }

        var rule = EmulatorFaultRule.TryParse(MergeFlags(json, flags), out var error);
        return rule ?? throw new ArgumentException($"Invalid emulator faults: {error!.Message}", nameof(args));
    }

    // The JSON object of --faults with the single flags written over it (as strings: the rule reads numbers from text too).
    private static byte[] MergeFlags(string? json, Dictionary<string, string> flags)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            if (json is not null)
            {
                using var document = ParseFaults(json);
                foreach (var field in document.RootElement.EnumerateObject())
                {
                    if (!flags.ContainsKey(Knobs.KnobParser.NormalizeName(field.Name)))
                    {
                        field.WriteTo(w);
                    }
                }
            }

            foreach (var (name, value) in flags)
            {
                w.WriteString(name, value);
            }

            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static JsonDocument ParseFaults(string json)
    {
        try
        {
            var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(json));
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
        }
        catch (JsonException)
        {
        }

        throw new ArgumentException("Invalid --faults: expected a JSON object, e.g. {\"fail_next\": 2, \"status\": 503}.", nameof(json));
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
        Faults = o.Faults,
        Control = o.Control,
    };
}
