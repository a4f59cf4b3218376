using System.Net;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Tollgate.Gateway.OpenApi;
using Tollgate.Gateway.Tests.Keys;

namespace Tollgate.Gateway.Tests.OpenApi;

/// <summary>GET /openapi/v1.json against the routes the gateway really maps.</summary>
public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task Document_ListsEveryMappedRoute_EachDescribed_AndNoOther()
    {
        await using var gw = await KeysGateway.StartAsync();
        var document = await LoadAsync(gw);

        var mapped = RouteDocumentTransformer.MappedRoutes(gw.Services);
        Assert.Contains(("POST", "/v1/chat/completions"), mapped);
        Assert.Contains(("GET", "/v1/usage/series"), mapped);
        Assert.Contains(("GET", "/v1/models/{id}"), mapped);
        var listed = document.Paths.SelectMany(p => p.Value.Operations!.Select(o => (o.Key.Method, p.Key))).ToHashSet();
        Assert.Equal(mapped.ToHashSet(), listed);

        foreach (var (path, item) in document.Paths)
        {
            foreach (var (method, operation) in item.Operations!)
            {
                Assert.True(operation.Summary != RouteDocumentTransformer.Undocumented, $"{method} {path} has no entry in ApiOperations.");
            }
        }

        // And the table describes no route that is gone.
        Assert.Empty(ApiOperations.All.Select(o => (o.Method, o.Path)).Except(mapped));
    }

    [Fact]
    public async Task Document_IsValidOpenApi31_WithAuthAndErrorShapes()
    {
        await using var gw = await KeysGateway.StartAsync();
        using var response = await gw.SendAsync(HttpMethod.Get, "/openapi/v1.json", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("{\n  \"openapi\": \"3.1", json.Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal);

        var read = OpenApiDocument.Parse(json, OpenApiConstants.Json, new OpenApiReaderSettings());
        Assert.Empty(read.Diagnostic!.Errors);
        var document = read.Document!;
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet())!);

        var keys = document.Paths["/v1/keys"].Operations![HttpMethod.Post];
        Assert.NotNull(keys.RequestBody);
        Assert.Equal("bearer", Assert.Single(Assert.Single(keys.Security!)).Key.Reference.Id);
        Assert.True(keys.Responses!.ContainsKey("4XX"));
        var chat = document.Paths["/v1/chat/completions"].Operations![HttpMethod.Post];
        Assert.Equal("https://platform.openai.com/docs/api-reference/chat/create", chat.ExternalDocs!.Url!.ToString());
        var series = document.Paths["/v1/usage/series"].Operations![HttpMethod.Get];
        Assert.Contains(series.Parameters!, p => p.Name == "bucket" && p.In == ParameterLocation.Query);
        var detail = document.Paths["/v1/requests/{id}"].Operations![HttpMethod.Get];
        Assert.Contains(detail.Parameters!, p => p.Name == "id" && p.In == ParameterLocation.Path && p.Required);
        Assert.Null(document.Paths["/health"].Operations![HttpMethod.Get].Security);
        Assert.NotNull(document.Components!.Schemas!["Error"]);
    }

    private static async Task<OpenApiDocument> LoadAsync(KeysGateway gw)
    {
        var json = await gw.Http.GetStringAsync("/openapi/v1.json");
        return OpenApiDocument.Parse(json, OpenApiConstants.Json, new OpenApiReaderSettings()).Document!;
    }
}
