using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Dialects.Anthropic;
using Tollgate.Dialects.Anthropic.Inbound;

namespace Tollgate.Dialects.Tests.Anthropic.Inbound;

public sealed class AnthropicInboundStreamTranslatorTests
{
    [Fact]
    public void Translate_AnthropicStreamThroughBothTranslators_SignatureSurvives()
    {
        // Anthropic upstream -> OpenAI chunks -> Anthropic events: what a /v1/messages client sees via the OpenAI shape.
        var toOpenAI = new AnthropicStreamTranslator(new AnthropicResponseOptions { Created = 1, IncludeUsage = true });
        var toAnthropic = new AnthropicInboundStreamTranslator(null, null);
        var chunks = new List<byte[]>();
        var events = new List<AnthropicSseEvent>();
        foreach (var line in Recordings.Lines("anthropic-clear-thinking.1.chunks.txt"))
        {
            chunks.Clear();
            toOpenAI.Translate(null, Encoding.UTF8.GetBytes(line), chunks);
            foreach (var chunk in chunks)
            {
                toAnthropic.Translate(chunk, events);
            }
        }

        toAnthropic.Complete(events);

        var data = events.Select(static e => JsonNode.Parse(e.Data)!).ToArray();
        var signature = string.Concat(data.Where(static d => (string?)d["delta"]?["type"] == "signature_delta").Select(static d => (string?)d["delta"]!["signature"]));
        var expected = string.Concat(Recordings.Lines("anthropic-clear-thinking.1.chunks.txt").Select(static l => JsonNode.Parse(l)!)
            .Where(static n => (string?)n["delta"]?["type"] == "signature_delta").Select(static n => (string?)n["delta"]!["signature"]));
        Assert.Equal(expected, signature);
        var thinking = string.Concat(data.Where(static d => (string?)d["delta"]?["type"] == "thinking_delta").Select(static d => (string?)d["delta"]!["thinking"]));
        Assert.Equal("The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185", thinking);
        // thinking block 0 and text block 1, each opened and closed once
        Assert.Equal(2, events.Count(static e => e.EventType == "content_block_start"));
        Assert.Equal(2, events.Count(static e => e.EventType == "content_block_stop"));
        var usage = data[^2]["usage"]!;
        Assert.Equal(69, (long)usage["input_tokens"]!);
        Assert.Equal(53, (long)usage["output_tokens"]!);
        Assert.Equal("end_turn", (string?)data[^2]["delta"]!["stop_reason"]);
    }

    [Fact]
    public void Translate_PromptCountGiven_MessageStartCarriesItAndMessageDeltaTheProvidersCount()
    {
        var counted = 0;
        var translator = new AnthropicInboundStreamTranslator("claude-opus-5-5", null, () => { counted++; return 1234; });
        var events = new List<AnthropicSseEvent>();

        translator.Translate("""{"id":"chatcmpl-abc123","model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"}}]}"""u8, events);
        translator.Translate("""{"id":"chatcmpl-abc123","model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"""u8, events);
        translator.Translate("""{"id":"chatcmpl-abc123","model":"gpt-4o","choices":[],"usage":{"prompt_tokens":1300,"completion_tokens":7,"total_tokens":1307}}"""u8, events);
        translator.Translate("[DONE]"u8, events);

        var start = JsonNode.Parse(events[0].Data)!;
        Assert.Equal("message_start", events[0].EventType);
        Assert.Equal("msg_abc123", (string?)start["message"]!["id"]);
        Assert.Equal(1234, (long)start["message"]!["usage"]!["input_tokens"]!);
        Assert.Equal(0, (long)start["message"]!["usage"]!["output_tokens"]!);
        var delta = JsonNode.Parse(events.Single(static e => e.EventType == "message_delta").Data)!;
        Assert.Equal(1300, (long)delta["usage"]!["input_tokens"]!);
        Assert.Equal(7, (long)delta["usage"]!["output_tokens"]!);
        Assert.Equal(1, counted);
    }

    [Fact]
    public void TryTranslate_ChatCompletion_MessageIdInAnthropicsForm()
    {
        var ok = AnthropicInboundResponseTranslator.TryTranslate(
            """{"id":"chatcmpl-xyz9","model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1}}"""u8,
            "claude-sonnet-5-5",
            null,
            out var result);

        Assert.True(ok);
        Assert.Equal("msg_xyz9", (string?)JsonNode.Parse(result!.Body)!["id"]);
    }

    [Fact]
    public void Translate_ErrorChunk_AnthropicErrorEventAndStops()
    {
        var translator = new AnthropicInboundStreamTranslator(null, null);
        var events = new List<AnthropicSseEvent>();

        translator.Translate("""{"error":{"message":"Upstream failed","type":"server_error"}}"""u8, events);
        translator.Complete(events);

        var e = Assert.Single(events);
        Assert.Equal("error", e.EventType);
        var data = JsonNode.Parse(e.Data)!;
        Assert.Equal("error", (string?)data["type"]);
        Assert.Equal("Upstream failed", (string?)data["error"]!["message"]);
    }

    [Fact]
    public void Complete_WithoutAnyChunk_StillAValidMessage()
    {
        var translator = new AnthropicInboundStreamTranslator("m", null);
        var events = new List<AnthropicSseEvent>();

        translator.Complete(events);
        translator.Complete(events);

        Assert.Equal(["message_start", "message_delta", "message_stop"], events.Select(static e => e.EventType));
    }
}
