using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Tollgate.Dialects.Json;

/// <summary>
/// Source-generated serializer metadata for JSON node graphs, so that writing them needs no reflection (the Native
/// AOT build has none for the serializer) and goes through the same JsonNode converter as before.
/// </summary>
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class NodeJsonContext : JsonSerializerContext;
