using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Dialects.Gemini;

namespace Tollgate.Dialects.Tests.Gemini;

public sealed class GeminiStreamTranslatorTests
{
    private static (List<JsonNode> Chunks, GeminiStreamTranslator Translator) Replay(IEnumerable<string> payloads, GeminiResponseOptions? options = null)
    {
        var translator = new GeminiStreamTranslator(options ?? new GeminiResponseOptions { Model = "gemini-3-pro-preview", Created = 42 });
        var raw = new List<byte[]>();
        foreach (var p in payloads)
        {
            translator.Translate(Encoding.UTF8.GetBytes(p), raw);
        }

        if (translator.Complete(0.5m) is { } last)
        {
            raw.Add(last);
        }

        return (raw.Select(b => JsonNode.Parse(b)!).ToList(), translator);
    }

    private static string Content(IEnumerable<JsonNode> chunks, string field) =>
        string.Concat(chunks.Where(c => c["choices"]!.AsArray().Count > 0)
            .Select(c => c["choices"]![0]!["delta"]![field]?.GetValue<string>() ?? string.Empty));

    private static string RecordedText(string recording) =>
        string.Concat(GeminiRecordings.Chunks(recording).Select(l => JsonDocument.Parse(l).RootElement)
            .SelectMany(r => r.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts").EnumerateArray())
            .Select(p => p.TryGetProperty("text", out var t) ? t.GetString() : string.Empty));

    [Theory]
    [InlineData("google-text.chunks.txt", 9, 23, 185)]
    [InlineData("google-reasoning.chunks.txt", 9, 29, 256)]
    public void Translate_TextRecordings_TextFinishAndLastUsage(string recording, long prompt, long candidates, long thoughts)
    {
        var (chunks, translator) = Replay(GeminiRecordings.Chunks(recording));

        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c["object"]!.GetValue<string>()));
        Assert.All(chunks, c => Assert.Equal(chunks[0]["id"]!.GetValue<string>(), c["id"]!.GetValue<string>()));
        Assert.Equal("assistant", chunks[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        Assert.Equal(RecordedText(recording), Content(chunks, "content"));
        Assert.NotEmpty(Content(chunks, "content"));

        var finishes = chunks.Where(c => c["choices"]!.AsArray().Count > 0 && c["choices"]![0]!["finish_reason"] is not null).ToList();
        Assert.Single(finishes);
        Assert.Equal("stop", finishes[0]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal("stop", translator.FinishReason);
        // The signature Gemini sends on the final empty text part rides on the finish chunk.
        var lastPayload = JsonDocument.Parse(GeminiRecordings.Chunks(recording)[^1]).RootElement;
        var signature = lastPayload.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("thoughtSignature").GetString();
        Assert.Equal(signature, finishes[0]["choices"]![0]!["delta"]!["extra_content"]!["google"]!["thought_signature"]!.GetValue<string>());

        var usageChunk = chunks[^1];
        Assert.Empty(usageChunk["choices"]!.AsArray());
        Assert.Equal(prompt, usageChunk["usage"]!["prompt_tokens"]!.GetValue<long>());
        Assert.Equal(candidates + thoughts, usageChunk["usage"]!["completion_tokens"]!.GetValue<long>());
        Assert.Equal(thoughts, usageChunk["usage"]!["completion_tokens_details"]!["reasoning_tokens"]!.GetValue<long>());
        Assert.Equal(0.5m, usageChunk["usage"]!["cost"]!.GetValue<decimal>());
        Assert.Equal(candidates + thoughts, translator.Usage!.OutputTokens);
        Assert.Single(chunks, c => c["usage"] is not null);
    }

    [Fact]
    public void Translate_ToolCallRecording_OneWholeToolCallDeltaAndToolCallsFinish()
    {
        var payloads = GeminiRecordings.Chunks("google-tool-call.chunks.txt");
        var signature = JsonDocument.Parse(payloads[0]).RootElement.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("thoughtSignature").GetString();

        var (chunks, translator) = Replay(payloads);

        var toolDeltas = chunks.Where(c => c["choices"]!.AsArray().Count > 0 && c["choices"]![0]!["delta"]!["tool_calls"] is not null).ToList();
        var call = Assert.Single(toolDeltas)["choices"]![0]!["delta"]!["tool_calls"]![0]!;
        Assert.Equal(0, call["index"]!.GetValue<int>());
        Assert.Equal("weather", call["function"]!["name"]!.GetValue<string>());
        Assert.Equal("""{"location":"San Francisco"}""", call["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal(signature, call["extra_content"]!["google"]!["thought_signature"]!.GetValue<string>());
        Assert.Equal(signature, GeminiToolCallIds.SignatureFrom(call["id"]!.GetValue<string>()));
        Assert.Equal("tool_calls", translator.FinishReason);
        Assert.Equal(29, chunks[^1]["usage"]!["prompt_tokens"]!.GetValue<long>());
        Assert.Equal(15 + 45, chunks[^1]["usage"]!["completion_tokens"]!.GetValue<long>());
        Assert.Equal(string.Empty, Content(chunks, "content"));
    }

    [Fact]
    public void Translate_ThoughtsAndTwoCalls_ReasoningDeltasAndIncreasingIndexes()
    {
        string[] payloads =
        [
            """{"candidates":[{"content":{"role":"model","parts":[{"text":"Hmm, ","thought":true}]},"index":0}],"responseId":"s1"}""",
            """{"candidates":[{"content":{"role":"model","parts":[{"text":"two calls.","thought":true},{"functionCall":{"name":"a","args":{"x":1}}}]},"index":0}],"responseId":"s1"}""",
            """{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"b","args":{"y":[1,2]}}}]},"finishReason":"STOP","index":0}],"responseId":"s1","usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":4,"thoughtsTokenCount":5}}""",
        ];

        var (chunks, translator) = Replay(payloads);

        Assert.Equal("Hmm, two calls.", Content(chunks, "reasoning_content"));
        var calls = chunks.Where(c => c["choices"]!.AsArray().Count > 0 && c["choices"]![0]!["delta"]!["tool_calls"] is not null)
            .Select(c => c["choices"]![0]!["delta"]!["tool_calls"]![0]!).ToList();
        Assert.Equal([0, 1], calls.Select(c => c["index"]!.GetValue<int>()));
        Assert.Equal(["call_s1_0", "call_s1_1"], calls.Select(c => c["id"]!.GetValue<string>()));
        Assert.Equal("""{"y":[1,2]}""", calls[1]["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal("tool_calls", translator.FinishReason);
        Assert.Equal(9, translator.Usage!.OutputTokens);
    }

    [Fact]
    public void Translate_ErrorPayload_ErrorChunkAndErrorSet()
    {
        var raw = new List<byte[]>();
        var translator = new GeminiStreamTranslator();

        translator.Translate("""{"error":{"code":503,"message":"overloaded","status":"UNAVAILABLE"}}"""u8, raw);

        Assert.Equal(503, translator.Error!.StatusCode);
        Assert.Equal("overloaded", JsonNode.Parse(Assert.Single(raw))!["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public void Complete_UsageNotWanted_Null()
    {
        var (chunks, _) = Replay(GeminiRecordings.Chunks("google-text.chunks.txt"), new GeminiResponseOptions { IncludeStreamUsage = false });

        Assert.DoesNotContain(chunks, c => c["usage"] is not null);
    }

    [Fact]
    public void Translate_PromptBlocked_ContentFilterFinish()
    {
        var (chunks, translator) = Replay(["""{"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"},"usageMetadata":{"promptTokenCount":4}}"""]);

        Assert.Equal("content_filter", translator.FinishReason);
        Assert.Contains(chunks, c => c["choices"]!.AsArray().Count > 0 && c["choices"]![0]!["finish_reason"]?.GetValue<string>() == "content_filter");
    }
}
