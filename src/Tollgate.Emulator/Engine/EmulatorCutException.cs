namespace Tollgate.Emulator.Engine;

/// <summary>
/// Thrown by a response body writer when the <c>cut</c> fault asks for the connection to drop.
/// Adapters turn it into a real abort (Kestrel) or a failed read (in-process handler).
/// </summary>
internal sealed class EmulatorCutException : IOException
{
    public EmulatorCutException()
        : base("The emulator cut the response stream (fault=cut).")
    {
    }

    public EmulatorCutException(string message)
        : base(message)
    {
    }

    public EmulatorCutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
