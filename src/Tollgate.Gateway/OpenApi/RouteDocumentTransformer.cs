using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Tollgate.Gateway.OpenApi;

/// <summary>
/// Builds the paths of <c>/openapi/v1.json</c> from the routes the host actually maps (its <see cref="EndpointDataSource"/>),
/// each described by <see cref="ApiOperations"/>. The generator alone lists only endpoints mapped with typed
/// delegates, and Tollgate's handlers take the HttpContext and write their JSON themselves, so the routes themselves
/// are the source: a route cannot exist without appearing here. A route the table does not know is listed as
/// "Undocumented", which the OpenAPI test refuses.
/// </summary>
internal sealed partial class RouteDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string Undocumented = "Undocumented";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Tollgate",
            Version = "v1",
            Description = "Tollgate's own API: keys, billing, usage, the ledger, models and the price calculator, health and the dashboard. "
                + "The proxied model endpoints (/v1/chat/completions, /v1/embeddings, /v1/messages) are those of the public specifications linked from each.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas["Error"] = ErrorSchema();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The master key, or a virtual key (tg-...). x-api-key is accepted too.",
        };

        var known = ApiOperations.All.ToDictionary(o => (o.Method, o.Path));
        var paths = new OpenApiPaths();
        var tags = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (method, path) in MappedRoutes(context.ApplicationServices))
        {
            var described = known.GetValueOrDefault((method, path)) ?? new ApiOperation(method, path, Undocumented, Undocumented);
            if (!paths.TryGetValue(path, out var item))
            {
                item = new OpenApiPathItem();
                paths[path] = item;
            }

            ((OpenApiPathItem)item).AddOperation(HttpMethod.Parse(method), Operation(document, described));
            tags.Add(described.Tag);
        }

        document.Paths = paths;
        document.Tags = new HashSet<OpenApiTag>(tags.Select(static t => new OpenApiTag { Name = t }));
        return Task.CompletedTask;
    }

    /// <summary>Every (method, OpenAPI path) the host maps, the 404 fallback aside, in path order.</summary>
    internal static IReadOnlyList<(string Method, string Path)> MappedRoutes(IServiceProvider services)
    {
        var routes = new HashSet<(string Method, string Path)>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            // MapFallback's endpoint is the 404 answer for every unmapped path, not a route of the API.
            if (endpoint.Order == int.MaxValue)
            {
                continue;
            }

            var path = Parameter().Replace(endpoint.RoutePattern.RawText ?? "", "{$1}");
            path = path.StartsWith('/') ? path : "/" + path;
            // A route mapped without a method (the Prometheus scrape endpoint answers any) is described as its GET.
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                routes.Add((method, path));
            }
        }

        return routes.OrderBy(static r => r.Path, StringComparer.Ordinal).ThenBy(static r => r.Method, StringComparer.Ordinal).ToList();
    }

    private static OpenApiOperation Operation(OpenApiDocument document, ApiOperation o)
    {
        var operation = new OpenApiOperation
        {
            Summary = o.Summary,
            Description = o.Description,
            Tags = new HashSet<OpenApiTagReference> { new(o.Tag, document) },
            Parameters = [],
            Responses = new OpenApiResponses(),
        };
        foreach (Match m in PathParameter().Matches(o.Path))
        {
            operation.Parameters.Add(new OpenApiParameter { Name = m.Groups[1].Value, In = ParameterLocation.Path, Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
        }

        foreach (var (name, meaning) in o.Query)
        {
            operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Query, Description = meaning, Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
        }

        if (o.JsonBody)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } } },
            };
        }

        if (o.Specification is { } spec)
        {
            operation.ExternalDocs = new OpenApiExternalDocs { Description = "The public specification of this endpoint", Url = spec };
        }

        if (o.Path == "/")
        {
            operation.Responses["302"] = new OpenApiResponse { Description = "To /ui/." };
            return operation;
        }

        operation.Responses["200"] = new OpenApiResponse
        {
            Description = "Success.",
            Content = new Dictionary<string, OpenApiMediaType> { [o.ContentType] = new() },
        };
        if (!o.Anonymous)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
            var error = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchemaReference("Error", document) } };
            operation.Responses["4XX"] = new OpenApiResponse { Description = "Bad input (400), no or a bad key (401), not allowed (403), not found (404), limits (429).", Content = error };
            operation.Responses["5XX"] = new OpenApiResponse { Description = "The provider failed (502, 504) or the gateway did.", Content = error };
        }

        return operation;
    }

    private static OpenApiSchema ErrorSchema()
    {
        var text = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null };
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An error in OpenAI's shape.",
            Required = new HashSet<string> { "error" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["error"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { "message", "type" },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["param"] = text,
                        ["code"] = text,
                    },
                },
            },
            Examples = [JsonNode.Parse("""{"error":{"message":"Invalid API key.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""")!],
        };
    }

    /// <summary>A route parameter with its catch-all stars and constraints: <c>{**id}</c>, <c>{id:int}</c>.</summary>
    [GeneratedRegex(@"\{\*{0,2}([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)\}")]
    private static partial Regex PathParameter();
}
