using Tollgate.Emulator.Engine;

namespace Tollgate.Emulator.Chat;

/// <summary>Everything decided about one chat completion before a byte is written.</summary>
internal sealed record ChatPlan
{
    public required string Id { get; init; }
    public required long Created { get; init; }
    public required string Model { get; init; }
    public bool Stream { get; init; }
    public bool IncludeUsage { get; init; }

    /// <summary>The reply text, or null when the reply is a tool call.</summary>
    public string? Content { get; init; }

    public ToolCallPlan? ToolCall { get; init; }
    public required string FinishReason { get; init; }

    /// <summary>Null when usage is left out (<c>fault=no_usage</c>).</summary>
    public EmulatorUsage? Usage { get; init; }

    /// <summary>Stream fragments: content pieces, or tool-call argument pieces.</summary>
    public required IReadOnlyList<string> Pieces { get; init; }

    public TimeSpan Ttft { get; init; }

    /// <summary>Pause between two content chunks, from <c>tokens_per_second</c>.</summary>
    public TimeSpan ChunkInterval { get; init; }

    public bool Cut { get; init; }

    /// <summary>With <c>fault=stall_stream</c>: the pause after the first content chunk (infinite: until the client gives up).</summary>
    public TimeSpan? Stall { get; init; }

    /// <summary>The <c>stall_stream</c> pause, taken once the first piece (index 0) has been sent.</summary>
    public Task StallAfterAsync(int pieceIndex, TimeProvider time, CancellationToken ct) =>
        pieceIndex == 0 && Stall is { } stall ? Task.Delay(stall, time, ct) : Task.CompletedTask;

    /// <summary>Whether the answer carries a thinking block / thought signatures (Anthropic and Gemini writers).</summary>
    public bool Thinking { get; init; }
}

/// <summary>A tool call the emulator answers with.</summary>
internal sealed record ToolCallPlan(string Id, string Name, string Arguments);
