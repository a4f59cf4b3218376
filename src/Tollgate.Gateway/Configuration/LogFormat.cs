namespace Tollgate.Gateway.Configuration;

/// <summary>How the gateway writes its log lines to the console.</summary>
public enum LogFormat
{
    /// <summary>One human-readable line per entry, with a timestamp.</summary>
    Text,

    /// <summary>One JSON object per line (timestamp, level, category, message and each named value), for log shippers.</summary>
    Json,
}
