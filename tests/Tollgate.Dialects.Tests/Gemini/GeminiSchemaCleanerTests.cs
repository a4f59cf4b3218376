using System.Text.Json.Nodes;
using Tollgate.Dialects.Gemini;

namespace Tollgate.Dialects.Tests.Gemini;

public sealed class GeminiSchemaCleanerTests
{
    [Fact]
    public void Clean_PydanticOptional_InlinedAndNullable()
    {
        var clean = GeminiSchemaCleaner.Clean(JsonNode.Parse("""
            {"type":"object","properties":{"age":{"anyOf":[{"type":"integer","minimum":0},{"type":"null"}],"default":null,"title":"Age"}}}
            """));

        var age = clean["properties"]!["age"]!;
        Assert.Equal("integer", age["type"]!.GetValue<string>());
        Assert.Equal(0, age["minimum"]!.GetValue<int>());
        Assert.True(age["nullable"]!.GetValue<bool>());
        Assert.Null(age["anyOf"]);
        Assert.Equal("Age", age["title"]!.GetValue<string>());
    }

    [Fact]
    public void Clean_UnknownFormatAndNumericEnum_DroppedOrDescribed()
    {
        var clean = GeminiSchemaCleaner.Clean(JsonNode.Parse("""
            {"type":"object","properties":{
              "site":{"type":"string","format":"uri"},
              "at":{"type":"string","format":"date-time"},
              "level":{"type":"integer","enum":[1,2,3],"description":"Level."},
              "kind":{"type":"string","enum":["a","b"]}}}
            """));

        var p = clean["properties"]!;
        Assert.Null(p["site"]!["format"]);
        Assert.Equal("date-time", p["at"]!["format"]!.GetValue<string>());
        Assert.Null(p["level"]!["enum"]);
        Assert.Equal("Level. Allowed values: 1, 2, 3.", p["level"]!["description"]!.GetValue<string>());
        Assert.Equal(2, p["kind"]!["enum"]!.AsArray().Count);
    }

    [Fact]
    public void Clean_NestedArraysAndObjects_UnknownKeywordsDroppedEverywhere()
    {
        var clean = GeminiSchemaCleaner.Clean(JsonNode.Parse("""
            {"type":"object","additionalProperties":false,"properties":{"rows":{"type":"array","uniqueItems":true,
              "items":{"type":"object","additionalProperties":false,"patternProperties":{},"properties":{"x":{"type":"number","exclusiveMinimum":0}}}}}}
            """));

        Assert.Null(clean["additionalProperties"]);
        var rows = clean["properties"]!["rows"]!;
        Assert.Null(rows["uniqueItems"]);
        Assert.Null(rows["items"]!["additionalProperties"]);
        Assert.Null(rows["items"]!["patternProperties"]);
        Assert.Null(rows["items"]!["properties"]!["x"]!["exclusiveMinimum"]);
        Assert.Equal("number", rows["items"]!["properties"]!["x"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Clean_PropertyOrderingWanted_FromPropertiesOrder()
    {
        var schema = JsonNode.Parse("""{"type":"object","properties":{"zeta":{"type":"string"},"alpha":{"type":"string"}}}""");

        var ordered = GeminiSchemaCleaner.Clean(schema, addPropertyOrdering: true);
        var plain = GeminiSchemaCleaner.Clean(schema);

        Assert.Equal(["zeta", "alpha"], ordered["propertyOrdering"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Null(plain["propertyOrdering"]);
    }

    [Fact]
    public void Clean_SelfReferenceCycle_Terminates()
    {
        var clean = GeminiSchemaCleaner.Clean(JsonNode.Parse("""
            {"$defs":{"Node":{"type":"object","properties":{"next":{"$ref":"#/$defs/Node"}}}},"$ref":"#/$defs/Node"}
            """));

        Assert.Equal("object", clean["type"]!.GetValue<string>());
        Assert.Equal("object", clean["properties"]!["next"]!["type"]!.GetValue<string>());
    }
}
