using System.Text.Json;

namespace Tollgate.Emulator.Engine;

/// <summary>Reads the top-level <c>"emulator": { ... }</c> body field, which survives gateways that drop custom headers.</summary>
internal static class BodyKnobs
{
    public const string PropertyName = "emulator";

    public static EmulatorError? Read(JsonElement root, List<KeyValuePair<string, string>> pairs)
    {
        if (!root.TryGetProperty(PropertyName, out var field) || field.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (field.ValueKind != JsonValueKind.Object)
        {
            return EmulatorError.InvalidRequest("Invalid type for 'emulator': expected an object.", PropertyName, "invalid_type");
        }

        foreach (var knob in field.EnumerateObject())
        {
            string? value = knob.Value.ValueKind switch
            {
                JsonValueKind.String => knob.Value.GetString(),
                JsonValueKind.Number => knob.Value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            };
            if (value is null)
            {
                return EmulatorError.InvalidRequest(
                    $"Invalid type for 'emulator.{knob.Name}': expected a string or a number.", "emulator." + knob.Name, "invalid_type");
            }

            pairs.Add(new(knob.Name, value));
        }

        return null;
    }
}
