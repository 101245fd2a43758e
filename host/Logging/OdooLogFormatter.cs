using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace PluginHost.Host.Logging;

/// <summary>Options of <see cref="OdooLogFormatter"/>.</summary>
public sealed class OdooLogFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>The served database, printed on every line as Odoo does.</summary>
    public string Database { get; set; } = "?";
}

/// <summary>
/// Log lines shaped like Odoo's, so operators read them the same way:
/// <c>2026-11-27 21:43:51,035 4242 INFO shop PluginHost.Addons.QueueJob.Internal.JobRunner: queue job runner ready for db shop</c>.
/// </summary>
public sealed class OdooLogFormatter(IOptionsMonitor<OdooLogFormatterOptions> options) : ConsoleFormatter(FormatterName)
{
    /// <summary>The name to select this formatter with.</summary>
    public const string FormatterName = "odoo";

    private static readonly int ProcessId = Environment.ProcessId;

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        textWriter.Write($"{DateTime.UtcNow:yyyy-MM-dd HH:mm:ss,fff} {ProcessId} {Level(logEntry.LogLevel)} {options.CurrentValue.Database} {logEntry.Category}: {message}");
        if (logEntry.Exception is not null)
        {
            textWriter.Write(Environment.NewLine + logEntry.Exception);
        }

        textWriter.Write(Environment.NewLine);
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        _ => "CRITICAL",
    };
}
