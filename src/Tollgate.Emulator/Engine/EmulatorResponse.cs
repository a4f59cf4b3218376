namespace Tollgate.Emulator.Engine;

/// <summary>
/// What the engine answers: status and headers are final when this is returned (latency already
/// spent); the body is written later by <see cref="WriteBodyAsync"/>, which paces streams and may
/// throw <see cref="EmulatorCutException"/> to ask the adapter to abort the connection.
/// </summary>
internal sealed class EmulatorResponse
{
    /// <summary>No response at all: the adapter drops the connection (<c>fault=reset</c>).</summary>
    public static EmulatorResponse Dropped { get; } = new()
    {
        StatusCode = 0,
        DropConnection = true,
        WriteBodyAsync = static (_, _) => Task.CompletedTask,
    };

    public required int StatusCode { get; init; }

    public string ContentType { get; init; } = "application/json";

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public required Func<Stream, CancellationToken, Task> WriteBodyAsync { get; init; }

    /// <summary>Send nothing and drop the connection: Kestrel aborts it, the in-process handler throws <see cref="HttpRequestException"/>.</summary>
    public bool DropConnection { get; init; }

    public bool IsEventStream => ContentType.StartsWith("text/event-stream", StringComparison.Ordinal);

    /// <summary>The same response with more headers.</summary>
    public EmulatorResponse WithHeaders(IReadOnlyList<KeyValuePair<string, string>> headers) => headers.Count == 0 ? this : new()
    {
        StatusCode = StatusCode,
        ContentType = ContentType,
        Headers = [.. Headers, .. headers],
        WriteBodyAsync = WriteBodyAsync,
        DropConnection = DropConnection,
    };
}
