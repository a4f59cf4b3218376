using System.Text.Json.Nodes;
using Tollgate.Dialects.Gemini;

namespace Tollgate.Dialects.Tests.Gemini;

public sealed class GeminiRequestTranslatorSignatureFallbackTests
{
    private const string History = """
        {"messages":[{"role":"user","content":"x"},
          {"role":"assistant","tool_calls":[
            {"id":"a","type":"function","function":{"name":"f","arguments":"{}"}},
            {"id":"b","type":"function","function":{"name":"g","arguments":"{}"}}]},
          {"role":"tool","tool_call_id":"a","content":"1"},{"role":"tool","tool_call_id":"b","content":"2"},
          {"role":"assistant","tool_calls":[
            {"id":"c","type":"function","function":{"name":"f","arguments":"{}"},"extra_content":{"google":{"thought_signature":"cmVhbA=="}}}]},
          {"role":"tool","tool_call_id":"c","content":"3"}]}
        """;

    [Fact]
    public void Translate_SkipMissingSignatureValidation_PlaceholderOnFirstUnsignedCallOnly()
    {
        var result = GeminiRequestTranslator.Translate(System.Text.Encoding.UTF8.GetBytes(History), new GeminiTranslateOptions { SkipMissingSignatureValidation = true });

        var contents = JsonNode.Parse(result.Body!)!["contents"]!.AsArray();
        Assert.Equal("skip_thought_signature_validator", contents[1]!["parts"]![0]!["thoughtSignature"]!.GetValue<string>());
        Assert.Null(contents[1]!["parts"]![1]!["thoughtSignature"]);
        Assert.Equal("cmVhbA==", contents[3]!["parts"]![0]!["thoughtSignature"]!.GetValue<string>());
    }

    [Fact]
    public void Translate_DefaultOptions_NoPlaceholder()
    {
        var result = GeminiRequestTranslator.Translate(System.Text.Encoding.UTF8.GetBytes(History));

        var contents = JsonNode.Parse(result.Body!)!["contents"]!.AsArray();
        Assert.Null(contents[1]!["parts"]![0]!["thoughtSignature"]);
    }
}
