using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mirage.Aws.Tests.Moto;

public sealed record RecordedLog(string Category, LogLevel Level, EventId EventId, string Message);

/// <summary>A logger provider that keeps every entry, so a test can assert what was logged (and count reconcile passes).</summary>
public sealed class RecordedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<RecordedLog> _entries = new();

    public IReadOnlyList<RecordedLog> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<RecordedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new RecordedLog(category, logLevel, eventId, formatter(state, exception)));
    }
}
