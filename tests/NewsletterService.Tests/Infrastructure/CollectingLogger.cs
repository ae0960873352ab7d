using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace NewsletterService.Tests.Infrastructure;

/// <summary>Keeps the service's warnings and errors so a failing test can show what the service said.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(CollectingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            provider.Entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}");
            if (Environment.GetEnvironmentVariable("NEWSLETTER_TEST_LOG") is { Length: > 0 } file)
                File.AppendAllText(file, $"{logLevel} {category}: {formatter(state, exception)}\n{exception}\n");
        }
    }
}
