using System.Text.Json.Nodes;

namespace Tollgate.Dialects.Responses;

/// <summary>A Responses API request in OpenAI's chat shape, or the 400 why it cannot be put in it.</summary>
public sealed record ResponsesTranslation
{
    /// <summary>The chat completions request; null on failure.</summary>
    public byte[]? Body { get; init; }

    /// <summary>The 400 message when the request cannot be translated.</summary>
    public string? Error { get; init; }

    /// <summary>The parameter the error is about.</summary>
    public string? ErrorParam { get; init; }

    /// <summary>Parameters with no chat equivalent that were left out (named in <c>x-tollgate-dropped-params</c>).</summary>
    public IReadOnlyList<string> Unsupported { get; init; } = [];

    /// <summary>Built-in tools (<c>web_search</c>, <c>file_search</c>, ...) only OpenAI itself runs.</summary>
    public IReadOnlyList<string> BuiltInTools { get; init; } = [];

    /// <summary>The request's own input as Responses items (a string input becomes one user message), for the store.</summary>
    public JsonArray InputItems { get; init; } = [];

    /// <summary>The request's settings a response object repeats (instructions, tools, text, reasoning, ...).</summary>
    public JsonObject Echo { get; init; } = [];

    /// <summary>Whether the translation succeeded.</summary>
    public bool IsSuccess => Body is not null;

    internal static ResponsesTranslation Failure(string param, string message) => new() { Error = message, ErrorParam = param };
}
