using System.Text.Json;
using System.Text.Json.Serialization;
using Tollgate.Core.Pricing;

namespace Tollgate.Core.Catalog;

/// <summary>
/// The JSON shape of a model in <c>GET /v1/models</c> and <c>tollgate models --json</c>: OpenAI's model object
/// (<c>id</c>, <c>object</c>, <c>created</c>, <c>owned_by</c>) plus <c>mode</c>, <c>context_length</c>,
/// <c>max_output_tokens</c>, <c>pricing</c> (the catalog's prices: USD per 1M tokens, <c>units</c> in USD per unit),
/// <c>capabilities</c>, <c>source</c> and, where gaps were filled from the community layer, <c>filled_from</c>.
/// One writer for both, so the two never name a field differently.
/// </summary>
public static partial class ModelJson
{
    /// <summary>Writes <c>{"object":"list","data":[...]}</c>.</summary>
    public static void WriteList(Utf8JsonWriter writer, IEnumerable<ModelEntry> models)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(models);
        writer.WriteStartObject();
        writer.WriteString("object", "list");
        writer.WriteStartArray("data");
        foreach (var model in models)
        {
            Write(writer, model);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Writes one model object.</summary>
    public static void Write(Utf8JsonWriter writer, ModelEntry model)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(model);
        writer.WriteStartObject();
        writer.WriteString("id", model.Id);
        writer.WriteString("object", "model");
        writer.WriteNumber("created", 0);
        writer.WriteString("owned_by", model.Provider);
        writer.WriteString("mode", model.Mode);
        WriteNullable(writer, "context_length", model.ContextWindow);
        WriteNullable(writer, "max_output_tokens", model.MaxOutput);

        // cached_input is always present: a model without a cache price bills cache reads at its input price.
        writer.WritePropertyName("pricing");
        JsonSerializer.Serialize(writer, model.Prices with { CachedInput = model.Prices.CachedInput ?? model.Prices.Input }, ModelJsonContext.Default.ModelPrices);
        writer.WriteStartArray("capabilities");
        foreach (var c in model.Capabilities)
        {
            writer.WriteStringValue(c);
        }

        writer.WriteEndArray();
        if (model.Aliases.Count > 0)
        {
            writer.WriteStartArray("aliases");
            foreach (var a in model.Aliases)
            {
                writer.WriteStringValue(a);
            }

            writer.WriteEndArray();
        }

        if (model.Source is { } source)
        {
            writer.WritePropertyName("source");
            JsonSerializer.Serialize(writer, source, ModelJsonContext.Default.CatalogSource);
        }

        if (model.FilledFrom is { } limits)
        {
            writer.WritePropertyName("filled_from");
            JsonSerializer.Serialize(writer, limits, ModelJsonContext.Default.CatalogSource);
        }

        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>Prices print as written (0.0025, not 0.002500): trailing zeros of a decimal's scale are dropped.</summary>
    private sealed class NormalizedDecimalConverter : JsonConverter<decimal>
    {
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();

        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteNumberValue(Money.Normalize(value));
    }

    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = [typeof(NormalizedDecimalConverter)])]
    [JsonSerializable(typeof(ModelPrices))]
    [JsonSerializable(typeof(CatalogSource))]
    private sealed partial class ModelJsonContext : JsonSerializerContext;
}
