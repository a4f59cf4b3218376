using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Tollgate.Core.Catalog;
using Tollgate.Core.Pricing;
using Tollgate.Core.Usage;
using Tollgate.Dialects.OpenAI;

namespace Tollgate.Benchmarks.Sse;

/// <summary>
/// One whole OpenAI chat stream (bench/upstream/chat.sse: a role chunk, 20 content chunks, a finish chunk, a usage
/// chunk and <c>[DONE]</c>) through the streaming passthrough's per-event work, as PassthroughProxy's
/// ForwardCompleteEvents does it, minus HTTP: cut events, find their data, keep a copy for the token estimate,
/// find and parse <c>usage</c>, copy each event out, and write the usage chunk back with <c>usage.cost</c>. The
/// baseline parses every event's data into a <see cref="JsonDocument"/> to look for usage instead.
/// </summary>
[MemoryDiagnoser]
public class SseUsageScanBenchmarks
{
    private const int MaxRetainedStreamBytes = 4 * 1024 * 1024;

    // Reused between operations, as the gateway's pooled buffers and the response pipe are.
    private readonly ArrayBufferWriter<byte> _output = new(16 * 1024);
    private readonly ArrayBufferWriter<byte> _retained = new(16 * 1024);
    private byte[] _stream = [];
    private ModelEntry _model = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var resource = typeof(SseUsageScanBenchmarks).Assembly.GetManifestResourceStream("Tollgate.Benchmarks.chat.sse")
            ?? throw new InvalidOperationException("The embedded chat.sse is missing.");
        using var copy = new MemoryStream();
        resource.CopyTo(copy);
        _stream = copy.ToArray();
        _model = ModelCatalog.BuiltIn.Find("openai", "gpt-4o-mini") ?? throw new InvalidOperationException("gpt-4o-mini is not in the catalog.");

        // Both paths must find the stream's usage (31 prompt + 20 completion tokens) and copy every byte.
        if (Tollgate() != 51 || JsonDocumentPerEvent() != 51)
        {
            throw new InvalidOperationException("A scan did not find the stream's usage.");
        }
    }

    [Benchmark(Baseline = true, Description = "JsonDocument.Parse of every event")]
    public long JsonDocumentPerEvent()
    {
        _output.ResetWrittenCount();
        ReadOnlySpan<byte> buffer = _stream;
        TokenUsage? found = null;
        while (!buffer.IsEmpty)
        {
            var end = buffer.IndexOf("\n\n"u8);
            var evt = end < 0 ? buffer : buffer[..(end + 2)];
            buffer = buffer[evt.Length..];
            var data = evt.TrimEnd("\n"u8)["data: "u8.Length..];
            if (data.SequenceEqual("[DONE]"u8))
            {
                _output.Write(evt);
                continue;
            }

            using var doc = JsonDocument.Parse(data.ToArray());
            if (doc.RootElement.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object)
            {
                var prompt = u.GetProperty("prompt_tokens").GetInt64();
                var cached = u.TryGetProperty("prompt_tokens_details", out var d) && d.TryGetProperty("cached_tokens", out var c) ? c.GetInt64() : 0;
                found = new TokenUsage { InputTokens = prompt - cached, CacheReadTokens = cached, OutputTokens = u.GetProperty("completion_tokens").GetInt64() };
                _ = CostCalculator.Calculate(_model, found).Total;
            }

            _output.Write(evt);
        }

        return found?.TotalTokens ?? -1;
    }

    [Benchmark(Description = "SseEvents + UsagePatcher + OpenAIUsage")]
    public long Tollgate()
    {
        _output.ResetWrittenCount();
        _retained.ResetWrittenCount();
        ReadOnlySpan<byte> buffer = _stream;
        TokenUsage? found = null;
        var consumed = 0;
        int length;
        while ((length = SseEvents.FindEventLength(buffer[consumed..])) > 0)
        {
            var evt = buffer.Slice(consumed, length);
            consumed += length;
            if (!SseEvents.TryGetData(evt, out var data) || data.IsEmpty)
            {
                _output.Write(evt);
                continue;
            }

            if (SseEvents.IsDone(data))
            {
                _output.Write(evt);
                continue;
            }

            if (_retained.WrittenCount + data.Length < MaxRetainedStreamBytes)
            {
                _retained.Write(data);
                _retained.Write("\n"u8);
            }

            if (data.IndexOf("\"usage\""u8) >= 0 && UsagePatcher.TryFindUsage(data, out var usageRange) && OpenAIUsage.TryParse(data[usageRange], out var usage))
            {
                found = usage;
                _output.Write("data: "u8);
                UsagePatcher.WriteWithCost(data, usageRange, CostCalculator.Calculate(_model, usage).Total, _output);
                _output.Write("\n\n"u8);
                continue;
            }

            _output.Write(evt);
        }

        return found?.TotalTokens ?? -1;
    }
}
