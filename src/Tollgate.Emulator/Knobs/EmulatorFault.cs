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
}
