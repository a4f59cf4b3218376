using System.Globalization;
using Tollgate.Core.Pricing;
using Tollgate.Core.Usage;

namespace Tollgate.Cli;

/// <summary><c>tollgate cost</c>: prices one call from token counts and units, as the gateway would.</summary>
internal static class CostCommand
{
    public const string Usage = """
        Usage: tollgate cost --model M [--input N] [--cached N] [--cache-write N] [--cache-write-1h N] [--output N] [--tier batch|flex|priority] [--json]
        Prices one call as the gateway would. --input counts all prompt tokens, cached ones and cache writes included;
        the parts below are counted inside their whole, never added to it.
          --audio-input N  --image-input N     of the uncached input, audio or image tokens
          --cached-audio N                     of the cached input, audio tokens
          --reasoning N  --audio-output N  --image-output N   of the output, reasoning, audio or image tokens
        Units (the model's unit prices, USD):
          --images N [--size 1024x1024] [--quality hd]   generated images
          --characters N        input characters (text to speech)
          --seconds S           seconds of input audio (transcription)
          --output-seconds S    seconds of generated audio or video
          --queries N  --requests N  --searches N [--search-size low|medium|high]
        --data-dir DIR as for 'tollgate models'.
        """;

    private static readonly HashSet<string> s_options = new(StringComparer.Ordinal)
    {
        "model", "input", "cached", "cache-write", "cache-write-1h", "output", "tier", "data-dir",
        "audio-input", "image-input", "cached-audio", "reasoning", "audio-output", "image-output",
        "images", "size", "quality", "characters", "seconds", "output-seconds", "queries", "requests", "searches", "search-size",
    };

    public static int Run(string[] args, TextWriter output)
    {
        var a = new CliArgs(args, "cost", new HashSet<string> { "json" }, s_options);
        var name = a.Get("model") ?? throw new CliException("--model is required (e.g. --model gpt-4o or openai/gpt-4o).");
        var model = CliApp.FindModel(CliApp.Catalog(a), name);
        var input = a.GetCount("input") ?? 0;
        var cached = a.GetCount("cached") ?? 0;
        var write5m = a.GetCount("cache-write") ?? 0;
        var write1h = a.GetCount("cache-write-1h") ?? 0;
        var outputTokens = a.GetCount("output") ?? 0;
        if (cached + write5m + write1h > input)
        {
            throw new CliException($"--cached + --cache-write + --cache-write-1h ({cached + write5m + write1h}) cannot exceed --input ({input}), which counts all prompt tokens.");
        }

        var usage = new TokenUsage
        {
            InputTokens = input - cached - write5m - write1h,
            InputAudioTokens = Part(a, "audio-input", input - cached - write5m - write1h, "the uncached input"),
            InputImageTokens = Part(a, "image-input", input - cached - write5m - write1h, "the uncached input"),
            CacheReadTokens = cached,
            CacheReadAudioTokens = Part(a, "cached-audio", cached, "--cached"),
            CacheWrite5mTokens = write5m,
            CacheWrite1hTokens = write1h,
            OutputTokens = outputTokens,
            ReasoningTokens = Part(a, "reasoning", outputTokens, "--output"),
            OutputAudioTokens = Part(a, "audio-output", outputTokens, "--output"),
            OutputImageTokens = Part(a, "image-output", outputTokens, "--output"),
        };
        var units = new UnitUsage
        {
            Images = a.GetCount("images") ?? 0,
            ImageSize = a.Get("size"),
            ImageQuality = a.Get("quality"),
            InputCharacters = a.GetCount("characters") ?? 0,
            InputAudioSeconds = Seconds(a, "seconds"),
            OutputSeconds = Seconds(a, "output-seconds"),
            Queries = a.GetCount("queries") ?? 0,
            Requests = a.GetCount("requests") ?? 0,
            WebSearches = a.GetCount("searches") ?? 0,
            SearchContextSize = a.Get("search-size"),
        };
        if (usage.TotalTokens == 0 && units == new UnitUsage())
        {
            throw new CliException("Give some usage: --input and --output tokens, or units such as --images, --characters, --seconds.");
        }

        var tier = a.Get("tier") switch
        {
            null or "standard" => ServiceTier.Standard,
            "batch" => ServiceTier.Batch,
            "flex" => ServiceTier.Flex,
            "priority" => ServiceTier.Priority,
            var t => throw new CliException($"--tier must be batch, flex or priority, not '{t}'."),
        };
        if (!CostCalculator.Offers(model, tier))
        {
            throw new CliException($"{model.Id} has no {tier.ToString().ToLowerInvariant()} prices.");
        }

        var cost = CostCalculator.Calculate(model, usage, units, tier);
        if (a.Has("json"))
        {
            KeysCommand.WriteJson(output, w =>
            {
                w.WriteStartObject();
                w.WriteString("model", model.Id);
                w.WriteString("tier", tier.ToString().ToLowerInvariant());
                w.WriteBoolean("long_context", cost.LongContext);
                w.WriteNumber("cost", Money.Normalize(cost.Total));
                w.WriteStartObject("breakdown");
                w.WriteNumber("input", Money.Normalize(cost.Input));
                w.WriteNumber("cache_read", Money.Normalize(cost.CacheRead));
                w.WriteNumber("cache_write", Money.Normalize(cost.CacheWrite));
                w.WriteNumber("output", Money.Normalize(cost.Output));
                w.WriteNumber("units", Money.Normalize(cost.Units));
                w.WriteEndObject();
                w.WriteStartObject("tokens");
                w.WriteNumber("input", usage.InputTokens);
                w.WriteNumber("cache_read", usage.CacheReadTokens);
                w.WriteNumber("cache_write_5m", usage.CacheWrite5mTokens);
                w.WriteNumber("cache_write_1h", usage.CacheWrite1hTokens);
                w.WriteNumber("output", usage.OutputTokens);
                w.WriteNumber("reasoning", usage.ReasoningTokens);
                w.WriteEndObject();
                w.WriteStartArray("unpriced");
                foreach (var u in cost.Unpriced)
                {
                    w.WriteStringValue(u);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return 0;
        }

        output.WriteLine($"{model.Id} ({tier.ToString().ToLowerInvariant()}{(cost.LongContext ? ", long context" : "")})");
        var table = new TextTable("PART", "TOKENS", "USD").RightAlign(1, 2);
        table.Add("input", Format.Count(usage.InputTokens), Format.Usd(cost.Input));
        table.Add("cache read", Format.Count(usage.CacheReadTokens), Format.Usd(cost.CacheRead));
        table.Add("cache write", Format.Count(usage.CacheWrite5mTokens + usage.CacheWrite1hTokens), Format.Usd(cost.CacheWrite));
        table.Add("output", Format.Count(usage.OutputTokens), Format.Usd(cost.Output));
        if (units != new UnitUsage())
        {
            table.Add("units", "-", Format.Usd(cost.Units));
        }

        table.Add("total", Format.Count(usage.TotalTokens), Format.Usd(cost.Total));
        table.Write(output);
        if (cost.Unpriced.Count > 0)
        {
            output.WriteLine($"Not priced (the model has no price for them, left out of the total): {string.Join(", ", cost.Unpriced)}.");
        }

        return 0;
    }

    private static long Part(CliArgs a, string option, long whole, string wholeName)
    {
        var part = a.GetCount(option) ?? 0;
        return part <= whole ? part : throw new CliException($"--{option} ({part}) cannot exceed {wholeName} ({whole}): it counts a part of it.");
    }

    private static decimal Seconds(CliArgs a, string option) =>
        a.Get(option) is not { } raw ? 0m
        : decimal.TryParse(raw, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var s) ? s
        : throw new CliException($"--{option} must be a number of seconds (61.5), not '{raw}'.");

}
