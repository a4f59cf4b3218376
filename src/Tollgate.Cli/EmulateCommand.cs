using Tollgate.Emulator;

namespace Tollgate.Cli;

/// <summary><c>tollgate emulate</c>: the emulator as a server, its fault rule set by flags (docs/EMULATOR.md).</summary>
internal static class EmulateCommand
{
    public const string Usage = """
        Usage: tollgate emulate [--port N | --urls URL] [--recordings DIR] [fault flags]
        A fake OpenAI / Anthropic / Gemini upstream on 127.0.0.1 for tests (docs/EMULATOR.md).

        Fault flags set the instance's fault rule at start; POST/GET/DELETE /_emulator/faults change it at run time,
        GET/DELETE /_emulator/requests read and zero the request counters.
          --faults JSON          the whole rule, as POST /_emulator/faults takes it; the flags below win over its fields
          --fail-next N          hit the next N requests, then no more (unless --fail-rate)
          --fail-rate P          hit each further request with probability P (0 to 1)
          --seed N               seed of --fail-rate, so the same requests fail every run
          --endpoints LIST       comma-separated: chat_completions, embeddings, models, messages, count_tokens,
                                 generate_content, stream_generate_content, not_found (default: all)
          --quota-requests N     a request quota: successes carry the provider's remaining-requests header, then 429
          --quota-window-s S     the quota's window (default 60)
          --status CODE          what a hit request answers (default 500 with --fail-next / --fail-rate)
          --fault KIND           rate_limit, reset, stall_stream, context_length, overloaded, cut, hang, no_usage
          --retry-after S        Retry-After of 429 / 503 / 529 answers (default 1)
          --latency-ms MS        delay before the response starts (also how to stall before headers)
          --stall-ms MS          with --fault stall_stream: the pause after the first chunk (default: forever)
          --context-window N     prompts of more tokens get the context-length error
          --<knob> VALUE         any other knob of docs/EMULATOR.md (--ttft-ms, --prompt-tokens, ...)

        Examples:
          tollgate emulate --port 4011 --fail-rate 0.3 --seed 7 --status 503
          tollgate emulate --port 4012 --quota-requests 30 --quota-window-s 60
          curl -X POST localhost:4011/_emulator/faults -d '{"fail_next": 2, "fault": "rate_limit", "retry_after": 5}'
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        if (args.Any(static a => a is "-h" or "--help"))
        {
            output.WriteLine(Usage);
            return 0;
        }

        // The emulator reads its own flags (port, recordings, the fault rule) and names a bad value; an unknown flag is refused here.
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = arg.IndexOf('=', StringComparison.Ordinal);
                if (!EmulatorServer.IsOption(eq > 0 ? arg[2..eq] : arg[2..]))
                {
                    throw new CliException($"Unknown option {arg} for 'tollgate emulate'. 'tollgate emulate --help' lists its options.");
                }
            }
        }

        var hostArgs = args;
        Microsoft.AspNetCore.Builder.WebApplication app;
        try
        {
            app = EmulatorServer.Build(hostArgs);
        }
        catch (ArgumentException ex)
        {
            // The message names the flag; the parameter suffix ArgumentException adds says nothing to a user.
            throw new CliException(ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal));
        }

        await using (app.ConfigureAwait(false))
        {
            await app.RunAsync().ConfigureAwait(false);
        }

        return 0;
    }
}
