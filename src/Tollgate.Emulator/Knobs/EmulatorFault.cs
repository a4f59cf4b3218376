namespace Tollgate.Emulator.Knobs;

/// <summary>A failure the emulator is asked to act out.</summary>
internal enum EmulatorFault
{
    None,

    /// <summary>Send about half of a stream, then abort the connection (no usage, no [DONE]).</summary>
    Cut,

    /// <summary>Never answer until the client gives up.</summary>
    Hang,

    /// <summary>Answer normally but leave usage out.</summary>
    NoUsage,

    /// <summary>429 with <c>Retry-After</c> and the provider's own rate-limit headers.</summary>
    RateLimit,

    /// <summary>Accept the request, then drop the connection before any response.</summary>
    Reset,

    /// <summary>Send the first chunk, then wait <c>stall_ms</c> (or forever) before going on.</summary>
    StallStream,

    /// <summary>The provider's own context-window-exceeded error (400).</summary>
    ContextLength,

    /// <summary>Anthropic's 529 <c>overloaded_error</c>; 503 in the other dialects.</summary>
    Overloaded,
}
