using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Dialects.Gemini;

namespace Tollgate.Dialects.Tests.Gemini;

/// <summary>Several tool turns: OpenAI request -> Gemini request -> Gemini response -> OpenAI response -> next request.</summary>
public sealed class GeminiRoundTripTests
{
    private static JsonNode GeminiCall(string responseId, string name, string args, string signature) => JsonNode.Parse($$$"""
        {"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"{{{name}}}","args":{{{args}}}},"thoughtSignature":"{{{signature}}}"}]},"finishReason":"STOP","index":0}],
         "responseId":"{{{responseId}}}","usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":5,"thoughtsTokenCount":3}}
        """)!;

    [Fact]
    public void TwoSequentialToolTurns_IdsUniqueNamesResolvedSignaturesKept()
    {
        var messages = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Plan a trip" });
        (string Rid, string Name, string Args, string Sig, string Result)[] turns =
        [
            ("resp-A", "weather", """{"city":"Oslo","days":[1,2]}""", "U2lnQQ+/==", "cold"),
            ("resp-B", "flights", """{"from":"Oslo","nested":{"x":true}}""", "U2lnQg//+w==", "{\"price\":99}"),
        ];

        foreach (var turn in turns)
        {
            var gemini = GeminiCall(turn.Rid, turn.Name, turn.Args, turn.Sig);
            var openAI = JsonNode.Parse(GeminiResponseTranslator.Translate(Encoding.UTF8.GetBytes(gemini.ToJsonString())).Body)!;
            var assistant = openAI["choices"]![0]!["message"]!.DeepClone();
            var id = assistant["tool_calls"]![0]!["id"]!.GetValue<string>();
            messages.Add(assistant);
            messages.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = id, ["content"] = turn.Result });
        }

        var result = GeminiRequestTranslator.Translate(Encoding.UTF8.GetBytes(new JsonObject { ["messages"] = messages }.ToJsonString()));

        Assert.True(result.IsSuccess, result.Error?.Message);
        var contents = JsonNode.Parse(result.Body!)!["contents"]!.AsArray();
        Assert.Equal(["user", "model", "user", "model", "user"], contents.Select(c => c!["role"]!.GetValue<string>()));
        var ids = messages.Where(m => m!["role"]!.GetValue<string>() == "tool").Select(m => m!["tool_call_id"]!.GetValue<string>()).ToList();
        Assert.Equal(2, ids.Distinct().Count());
        for (var t = 0; t < turns.Length; t++)
        {
            var call = contents[1 + (2 * t)]!["parts"]![0]!;
            Assert.Equal(turns[t].Sig, call["thoughtSignature"]!.GetValue<string>());
            Assert.Equal(turns[t].Name, call["functionCall"]!["name"]!.GetValue<string>());
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(turns[t].Args), call["functionCall"]!["args"]));
            var response = contents[2 + (2 * t)]!["parts"]![0]!["functionResponse"]!;
            Assert.Equal(turns[t].Name, response["name"]!.GetValue<string>());
        }

        Assert.Equal(99, contents[4]!["parts"]![0]!["functionResponse"]!["response"]!["price"]!.GetValue<int>());
        Assert.Equal("cold", contents[2]!["parts"]![0]!["functionResponse"]!["response"]!["result"]!.GetValue<string>());
    }

    [Fact]
    public void ToolCallIds_OnlyIdSafeCharacters()
    {
        var gemini = GeminiCall("a+b/c=d-e_f", "f", "{}", "++//ab==");
        var openAI = JsonNode.Parse(GeminiResponseTranslator.Translate(Encoding.UTF8.GetBytes(gemini.ToJsonString())).Body)!;

        var id = openAI["choices"]![0]!["message"]!["tool_calls"]![0]!["id"]!.GetValue<string>();

        // Ids stay within [A-Za-z0-9_-], which other dialects (e.g. Anthropic tool_use ids) accept.
        Assert.Matches("^[A-Za-z0-9_-]+$", id);
        Assert.Equal("++//ab==", GeminiToolCallIds.SignatureFrom(id));
    }
}
