using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Tollgate.Dialects.OpenAI;

namespace Tollgate.Benchmarks.Rewrite;

/// <summary>
/// The passthrough path's work on a request body: read what routing and admission need, then copy the body with
/// the model replaced. The baseline is what a gateway that deserializes does: parse the whole body into a DOM,
/// set the model, serialize it again.
/// </summary>
[MemoryDiagnoser]
public class RequestRewriteBenchmarks
{
    private const string UpstreamModel = "gpt-4o-mini";

    // Reused between operations, as the gateway reuses pooled buffers: the output's own allocation is not measured.
    private readonly ArrayBufferWriter<byte> _output = new(32 * 1024);
    private byte[] _body = [];

    [Params("small", "large")]
    public string Request { get; set; } = "small";

    [GlobalSetup]
    public void Setup()
    {
        _body = Request == "small" ? ChatRequests.Small : ChatRequests.Large;

        // Both paths must produce a body with the upstream model, or the comparison means nothing.
        if (Tollgate() != _output.WrittenCount || JsonNode.Parse(_output.WrittenSpan)!["model"]!.GetValue<string>() != UpstreamModel)
        {
            throw new InvalidOperationException("The rewrite did not replace the model.");
        }

        JsonNodeRoundTrip();
        if (JsonNode.Parse(_output.WrittenSpan)!["model"]!.GetValue<string>() != UpstreamModel)
        {
            throw new InvalidOperationException("The JsonNode baseline did not replace the model.");
        }
    }

    [Benchmark(Baseline = true, Description = "JsonNode parse + set model + serialize")]
    public int JsonNodeRoundTrip()
    {
        _output.ResetWrittenCount();
        var node = JsonNode.Parse(_body)!.AsObject();
        var stream = node["stream"]?.GetValue<bool>() ?? false;
        node["model"] = UpstreamModel;
        if (stream)
        {
            node["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        using var writer = new Utf8JsonWriter(_output);
        node.WriteTo(writer);
        writer.Flush();
        return _output.WrittenCount;
    }

    [Benchmark(Description = "OpenAIRequestReader.Read + Rewrite")]
    public int Tollgate()
    {
        _output.ResetWrittenCount();
        var request = OpenAIRequestReader.Read(_body, OpenAIRequestReader.Kind.Chat);
        OpenAIRequestReader.Rewrite(_body, request, JsonEncodedText.Encode(UpstreamModel), _output);
        return _output.WrittenCount;
    }
}
