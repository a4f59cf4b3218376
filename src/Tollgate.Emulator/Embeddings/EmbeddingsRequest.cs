using System.Text.Json;
using Tollgate.Emulator.Engine;

namespace Tollgate.Emulator.Embeddings;

/// <summary>What the emulator needs from an embeddings request, validated as OpenAI validates it.</summary>
internal sealed record EmbeddingsRequest
{
    private const int MaxDimensions = 8192;

    public required string Model { get; init; }

    /// <summary>Each input as text (token arrays are rendered as their numbers) with its token count.</summary>
    public required IReadOnlyList<(string Text, long Tokens)> Inputs { get; init; }

    public int? Dimensions { get; init; }
    public bool Base64 { get; init; }
    public required List<KeyValuePair<string, string>> KnobPairs { get; init; }

    public static EmbeddingsRequest? Parse(JsonElement root, out EmulatorError? error)
    {
        error = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = EmulatorError.InvalidRequest("Invalid request body: expected a JSON object.");
            return null;
        }

        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || model.GetString() is not { Length: > 0 } modelName)
        {
            error = EmulatorError.InvalidRequest("you must provide a model parameter", "model", "missing_required_parameter");
            return null;
        }

        if (!root.TryGetProperty("input", out var input) || input.ValueKind == JsonValueKind.Null)
        {
            error = EmulatorError.InvalidRequest("Missing required parameter: 'input'.", "input", "missing_required_parameter");
            return null;
        }

        var inputs = new List<(string, long)>();
        if (input.ValueKind == JsonValueKind.String)
        {
            inputs.Add(TextInput(input.GetString()!));
        }
        else if (input.ValueKind == JsonValueKind.Array && input.GetArrayLength() > 0)
        {
            var first = input[0].ValueKind;
            if (first == JsonValueKind.Number)
            {
                inputs.Add(TokenInput(input));
            }
            else
            {
                foreach (var item in input.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        inputs.Add(TextInput(item.GetString()!));
                    }
                    else if (item.ValueKind == JsonValueKind.Array)
                    {
                        inputs.Add(TokenInput(item));
                    }
                    else
                    {
                        inputs.Clear();
                        break;
                    }
                }
            }
        }

        if (inputs.Count == 0)
        {
            error = EmulatorError.InvalidRequest(
                "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", "input", "invalid_value");
            return null;
        }

        int? dimensions = null;
        if (root.TryGetProperty("dimensions", out var dims) && dims.ValueKind != JsonValueKind.Null)
        {
            if (!dims.TryGetInt32(out var d) || d < 1 || d > MaxDimensions)
            {
                error = EmulatorError.InvalidRequest($"Invalid 'dimensions': expected an integer from 1 to {MaxDimensions}.", "dimensions", "invalid_value");
                return null;
            }

            dimensions = d;
        }

        var base64 = false;
        if (root.TryGetProperty("encoding_format", out var format) && format.ValueKind == JsonValueKind.String)
        {
            switch (format.GetString())
            {
                case "base64": base64 = true; break;
                case "float": break;
                default:
                    error = EmulatorError.InvalidRequest("Invalid 'encoding_format': expected 'float' or 'base64'.", "encoding_format", "invalid_value");
                    return null;
            }
        }

        var pairs = new List<KeyValuePair<string, string>>();
        if (BodyKnobs.Read(root, pairs) is { } knobError)
        {
            error = knobError;
            return null;
        }

        return new EmbeddingsRequest { Model = modelName, Inputs = inputs, Dimensions = dimensions, Base64 = base64, KnobPairs = pairs };
    }

    private static (string, long) TextInput(string text) => (text, TokenEstimate.FromChars(text.Length));

    private static (string, long) TokenInput(JsonElement tokens) => (tokens.GetRawText(), tokens.GetArrayLength());
}
