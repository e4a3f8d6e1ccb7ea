using System.Text.Json;
using System.Text.Json.Serialization;

namespace HcsLicensing.SmartAccountSync.Cssm;

/// <summary>swapi writes some booleans as strings ("isDefault": "true"); this reads either form and writes the string one.</summary>
public sealed class QuotedBooleanConverter : JsonConverter<bool>
{
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.String => reader.ValueTextEquals("true"u8) || reader.ValueTextEquals("True"u8) || reader.ValueTextEquals("TRUE"u8),
        JsonTokenType.Null => false,
        _ => throw new JsonException($"expected a boolean or a quoted boolean, got {reader.TokenType}"),
    };

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteStringValue(value ? "true" : "false");
}
