using Microsoft.AspNetCore.Http;

namespace Tollgate.Emulator.Engine;

/// <summary>A request as the engine sees it, independent of Kestrel or HttpClient.</summary>
/// <param name="Operation">What the path addresses.</param>
/// <param name="Method">HTTP method, for error messages.</param>
/// <param name="Path">Request path, for error messages.</param>
/// <param name="Body">The whole request body (empty for GET).</param>
/// <param name="KnobHeaders">The <c>x-emulator-*</c> headers, name without the prefix.</param>
internal sealed record EmulatorRequest(
    EmulatorOperation Operation,
    string Method,
    string Path,
    ReadOnlyMemory<byte> Body,
    IReadOnlyList<KeyValuePair<string, string>> KnobHeaders)
{
    public const string KnobHeaderPrefix = "x-emulator-";

    /// <summary>The path of the control endpoint for the instance's faults (under any prefix).</summary>
    public const string FaultsPath = "/_emulator/faults";

    /// <summary>The path of the control endpoint for the instance's request counters (under any prefix).</summary>
    public const string RequestsPath = "/_emulator/requests";

    /// <summary>
    /// The credential and version headers Anthropic and Gemini check (<c>x-api-key</c>, <c>authorization</c>,
    /// <c>anthropic-version</c>, <c>x-goog-api-key</c>), by lower-case name; values are never echoed.
    /// </summary>
    public IReadOnlyDictionary<string, string> ApiHeaders { get; init; } = new Dictionary<string, string>();

    /// <summary>Picks the headers <see cref="ApiHeaders"/> holds out of any header sequence.</summary>
    public static Dictionary<string, string> SelectApiHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var selected = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            if (name.Equals("x-api-key", StringComparison.OrdinalIgnoreCase) || name.Equals("authorization", StringComparison.OrdinalIgnoreCase)
                || name.Equals("anthropic-version", StringComparison.OrdinalIgnoreCase) || name.Equals("x-goog-api-key", StringComparison.OrdinalIgnoreCase))
            {
                selected[name.ToLowerInvariant()] = value;
            }
        }

        return selected;
    }

    /// <summary>Picks the knob headers out of any header sequence.</summary>
    public static List<KeyValuePair<string, string>> SelectKnobHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var knobs = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in headers)
        {
            if (name.StartsWith(KnobHeaderPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > KnobHeaderPrefix.Length)
            {
                knobs.Add(new(name[KnobHeaderPrefix.Length..], value));
            }
        }

        return knobs;
    }

    /// <summary>Maps a path to an operation by its suffix, so any prefix or base address works.</summary>
    public static EmulatorOperation OperationFor(string method, string path)
    {
        var p = path.TrimEnd('/');
        if (p.EndsWith(FaultsPath, StringComparison.Ordinal) && (HttpMethods.IsGet(method) || HttpMethods.IsPost(method) || HttpMethods.IsDelete(method)))
        {
            return EmulatorOperation.ControlFaults;
        }

        if (p.EndsWith(RequestsPath, StringComparison.Ordinal) && (HttpMethods.IsGet(method) || HttpMethods.IsDelete(method)))
        {
            return EmulatorOperation.ControlRequests;
        }

        if (HttpMethods.IsPost(method) && p.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            return EmulatorOperation.ChatCompletions;
        }

        if (HttpMethods.IsPost(method) && p.EndsWith("/v1/responses/input_tokens", StringComparison.Ordinal))
        {
            return EmulatorOperation.ResponsesInputTokens;
        }

        if (HttpMethods.IsPost(method) && p.EndsWith("/v1/responses", StringComparison.Ordinal))
        {
            return EmulatorOperation.Responses;
        }

        if (HttpMethods.IsPost(method) && p.EndsWith("/embeddings", StringComparison.Ordinal))
        {
            return EmulatorOperation.Embeddings;
        }

        if (HttpMethods.IsPost(method) && p.EndsWith("/v1/messages/count_tokens", StringComparison.Ordinal))
        {
            return EmulatorOperation.AnthropicCountTokens;
        }

        if (HttpMethods.IsPost(method) && p.EndsWith("/v1/messages", StringComparison.Ordinal))
        {
            return EmulatorOperation.AnthropicMessages;
        }

        if (HttpMethods.IsPost(method) && p.Contains("/models/", StringComparison.Ordinal))
        {
            if (p.EndsWith(":generateContent", StringComparison.Ordinal))
            {
                return EmulatorOperation.GeminiGenerateContent;
            }

            if (p.EndsWith(":streamGenerateContent", StringComparison.Ordinal))
            {
                return EmulatorOperation.GeminiStreamGenerateContent;
            }

            if (p.EndsWith(":countTokens", StringComparison.Ordinal))
            {
                return EmulatorOperation.GeminiCountTokens;
            }

            if (p.EndsWith(":embedContent", StringComparison.Ordinal))
            {
                return EmulatorOperation.GeminiEmbedContent;
            }

            if (p.EndsWith(":batchEmbedContents", StringComparison.Ordinal))
            {
                return EmulatorOperation.GeminiBatchEmbedContents;
            }
        }

        if (HttpMethods.IsGet(method) && p.EndsWith("/models", StringComparison.Ordinal))
        {
            return EmulatorOperation.Models;
        }

        return EmulatorOperation.NotFound;
    }
}
