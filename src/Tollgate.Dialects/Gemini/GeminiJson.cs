using System.Text.Encodings.Web;
using System.Text.Json;
using Tollgate.Dialects.Json;

namespace Tollgate.Dialects.Gemini;

/// <summary>Writer settings shared by the Gemini translators.</summary>
internal static class GeminiJson
{
    /// <summary>
    /// Output is API JSON, never embedded in HTML, so non-ASCII text and characters such as <c>+</c> in
    /// thought signatures are written as they are instead of as <c>\uXXXX</c> escapes.
    /// </summary>
    public static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The same encoder for <see cref="NodeJson.Utf8(System.Text.Json.Nodes.JsonNode, JsonSerializerOptions)"/> (source-generated metadata, no reflection).</summary>
    public static readonly JsonSerializerOptions Serializer = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = NodeJsonContext.Default,
    };
}
