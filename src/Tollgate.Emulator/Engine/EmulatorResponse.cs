namespace Tollgate.Emulator.Engine;

/// <summary>
/// What the engine answers: status and headers are final when this is returned (latency already
/// spent); the body is written later by <see cref="WriteBodyAsync"/>, which paces streams and may
/// throw <see cref="EmulatorCutException"/> to ask the adapter to abort the connection.
/// </summary>
internal sealed class EmulatorResponse
{
    public required int StatusCode { get; init; }

    public string ContentType { get; init; } = "application/json";

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public required Func<Stream, CancellationToken, Task> WriteBodyAsync { get; init; }

    public bool IsEventStream => ContentType.StartsWith("text/event-stream", StringComparison.Ordinal);
}
