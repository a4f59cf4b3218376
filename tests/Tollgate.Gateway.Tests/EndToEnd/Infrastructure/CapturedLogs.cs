using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Tollgate.Gateway.Tests.EndToEnd.Infrastructure;

/// <summary>
/// A logger provider that keeps every message the gateway logs, with its structured values and exception,
/// so tests can prove a provider credential never reaches a log line at any level.
/// </summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel} {category}: {formatter(state, exception)}";
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                // The raw values too: a formatter may leave out what a structured sink would store.
                line += " | " + string.Join(", ", values.Select(v => v.Key + "=" + v.Value));
            }

            if (exception is not null)
            {
                line += " | " + exception;
            }

            owner._lines.Enqueue(line);
        }
    }
}
