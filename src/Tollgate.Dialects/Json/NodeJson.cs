using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Tollgate.Dialects.Json;

/// <summary>
/// Writes a JSON node graph as UTF-8 bytes, exactly as <c>JsonSerializer.SerializeToUtf8Bytes(node)</c> does, but
/// from source-generated metadata: the reflection-based overloads are unavailable in the Native AOT build.
/// </summary>
public static class NodeJson
{
    /// <summary>The node as UTF-8 JSON with the serializer's default options.</summary>
    public static byte[] Utf8(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, NodeJsonContext.Default.JsonNode);

    /// <summary>The node as UTF-8 JSON with <paramref name="options"/>, whose resolver is <see cref="NodeJsonContext"/>.</summary>
    internal static byte[] Utf8(JsonNode node, JsonSerializerOptions options) =>
        JsonSerializer.SerializeToUtf8Bytes(node, (JsonTypeInfo<JsonNode>)options.GetTypeInfo(typeof(JsonNode)));
}
