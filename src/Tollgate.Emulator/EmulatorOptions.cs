namespace Tollgate.Emulator;

/// <summary>
/// Server-wide settings of the emulator. Every value here is a default that a request can
/// override with its own knobs (see docs/EMULATOR.md). Invalid values (negative latency, dimensions
/// or reply words below 1) throw <see cref="ArgumentOutOfRangeException"/> when the emulator is created.
/// </summary>
public sealed class EmulatorOptions
{
    private EmulatorControl? _control;

    /// <summary>The model ids listed by <c>GET /v1/models</c>. Requests may still name any model.</summary>
    public IList<string> Models { get; init; } =
        ["emulator-chat", "emulator-embed", "gpt-4o-mini", "gpt-4.1-nano", "text-embedding-3-small"];

    /// <summary>Delay before any response starts, unless a request sets <c>latency_ms</c>.</summary>
    public TimeSpan DefaultLatency { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Pace of generated tokens, unless a request sets <c>tokens_per_second</c>. Zero or less
    /// means no pacing: everything is written as fast as the reader takes it.
    /// </summary>
    public double DefaultTokensPerSecond { get; init; }

    /// <summary>
    /// A fixed reply for every chat completion. When null the reply echoes the last user
    /// message as <c>"Echo: &lt;text&gt;"</c>.
    /// </summary>
    public string? ReplyText { get; init; }

    /// <summary>The most words an echo reply carries before it is cut (finish reason stays <c>stop</c>).</summary>
    public int MaxReplyWords { get; init; } = 256;

    /// <summary>Length of embedding vectors when the request does not set <c>dimensions</c>.</summary>
    public int EmbeddingDimensions { get; init; } = 1536;

    /// <summary>
    /// Where the <c>replay</c> knob finds recordings (<c>{provider}/{name}.json</c> and <c>.chunks.txt</c>, as in
    /// shared/fixtures/provider-recordings). Null turns replay off.
    /// </summary>
    public string? RecordingsDirectory { get; init; }

    /// <summary>Clock for delays, quota windows and <c>created</c> timestamps; tests can swap it.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// The instance's fault rule at start (docs/EMULATOR.md, "Per-instance faults"); null starts healthy. An invalid
    /// rule throws <see cref="ArgumentException"/> when the emulator is created. At run time it is changed through
    /// <see cref="Control"/> or <c>POST /_emulator/faults</c>.
    /// </summary>
    public EmulatorFaultRule? Faults { get; init; }

    /// <summary>
    /// The instance's run-time state (fault rule and request counters), created from <see cref="Faults"/> on first use.
    /// Handlers and endpoints built from the same options share it, so they act as one upstream.
    /// </summary>
    public EmulatorControl Control
    {
        get
        {
            if (_control is null)
            {
                Interlocked.CompareExchange(ref _control, new EmulatorControl(Faults, TimeProvider), null);
            }

            return _control;
        }

        // Lets a copy of these options (EmulatorServer adds a recordings directory) stay the same instance.
        internal init => _control = value;
    }
}
