using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Tollgate.Dialects.Anthropic;

/// <summary>Source-generated serialization for the node graphs the request translator builds.</summary>
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class AnthropicJsonContext : JsonSerializerContext;
