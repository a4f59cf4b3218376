using System.Text.Json.Nodes;
using Tollgate.Dialects.Gemini;

namespace Tollgate.Dialects.Tests.Gemini;

public sealed class GeminiErrorTranslatorTests
{
    [Fact]
    public void Translate_429RetryInfoRecording_RateLimitShapeAndRetryAfter()
    {
        var result = GeminiErrorTranslator.Translate(429, GeminiRecordings.Bytes("google-429-retry-info.json"));

        Assert.Equal(429, result.StatusCode);
        // retryDelay "34.4s" rounds up to 35 seconds.
        Assert.Equal(35, result.RetryAfterSeconds);
        var error = JsonNode.Parse(result.Body)!["error"]!;
        Assert.Equal("You exceeded your current quota, please check your plan.", error["message"]!.GetValue<string>());
        Assert.Equal("rate_limit_error", error["type"]!.GetValue<string>());
        Assert.Equal("resource_exhausted", error["code"]!.GetValue<string>());
        Assert.Null(error["param"]);
    }

    [Theory]
    [InlineData(400, "INVALID_ARGUMENT", "invalid_request_error")]
    [InlineData(403, "PERMISSION_DENIED", "permission_error")]
    [InlineData(404, "NOT_FOUND", "not_found_error")]
    [InlineData(500, "INTERNAL", "server_error")]
    [InlineData(503, "UNAVAILABLE", "server_error")]
    public void Translate_Status_TypeAndNoRetryAfter(int status, string geminiStatus, string type)
    {
        var body = $$$"""{"error":{"code":{{{status}}},"message":"m","status":"{{{geminiStatus}}}"}}""";

        var result = GeminiErrorTranslator.Translate(status, System.Text.Encoding.UTF8.GetBytes(body));

        Assert.Equal(status, result.StatusCode);
        Assert.Null(result.RetryAfterSeconds);
        Assert.Equal(type, JsonNode.Parse(result.Body)!["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Translate_NotJson_GenericMessageWithoutUpstreamBody()
    {
        var result = GeminiErrorTranslator.Translate(502, "<html>bad gateway secret</html>"u8);

        Assert.Equal(502, result.StatusCode);
        Assert.DoesNotContain("secret", System.Text.Encoding.UTF8.GetString(result.Body), StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_StatusFromBodyWhenUnknown_UsesErrorCode()
    {
        var result = GeminiErrorTranslator.Translate(0, """{"error":{"code":429,"message":"slow down","status":"RESOURCE_EXHAUSTED"}}"""u8);

        Assert.Equal(429, result.StatusCode);
    }

    [Fact]
    public void IsError_ErrorAndResponse_Distinguished()
    {
        Assert.True(GeminiErrorTranslator.IsError("""{"error":{"code":500}}"""u8));
        Assert.False(GeminiErrorTranslator.IsError("""{"candidates":[{"content":{"parts":[{"text":"error"}]}}],"error2":1}"""u8));
    }
}
