namespace Tollgate.Storage;

/// <summary>
/// A shared store (Redis, PostgreSQL) could not be reached in time, so a limit or budget could not be checked. The
/// gateway answers 503 <c>limits_unavailable</c> for requests that needed it.
/// </summary>
public sealed class SharedStateUnavailableException : Exception
{
    public SharedStateUnavailableException()
    {
    }

    public SharedStateUnavailableException(string message)
        : base(message)
    {
    }

    public SharedStateUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
