namespace Tollgate.Gateway.OpenApi;

/// <summary>How the OpenAPI document describes one route of Tollgate's own API.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path as OpenAPI writes it (<c>/v1/keys/{prefix}</c>).</param>
/// <param name="Tag">The group it is listed under.</param>
/// <param name="Summary">One line.</param>
/// <param name="Query">Its query parameters: name, then what it means.</param>
internal sealed record ApiOperation(string Method, string Path, string Tag, string Summary, params (string Name, string Meaning)[] Query)
{
    /// <summary>A longer description (Markdown).</summary>
    public string? Description { get; init; }

    /// <summary>For the proxied model endpoints: the public specification that defines them.</summary>
    public Uri? Specification { get; init; }

    /// <summary>True when the route needs no key.</summary>
    public bool Anonymous { get; init; }

    /// <summary>True when it takes a JSON body.</summary>
    public bool JsonBody { get; init; }

    /// <summary>The media type of a successful response.</summary>
    public string ContentType { get; init; } = "application/json";
}
