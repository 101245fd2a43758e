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
/// The database is the served one, or the <c>db</c> of the innermost logging scope that names one (the job
/// runner of another database).
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

        var database = options.CurrentValue.Database;
        scopeProvider?.ForEachScope((scope, _) => database = DatabaseOf(scope) ?? database, (object?)null);
        textWriter.Write($"{DateTime.UtcNow:yyyy-MM-dd HH:mm:ss,fff} {ProcessId} {Level(logEntry.LogLevel)} {database} {logEntry.Category}: {message}");
        if (logEntry.Exception is not null)
        {
            textWriter.Write(Environment.NewLine + logEntry.Exception);
        }

        textWriter.Write(Environment.NewLine);
    }

    /// <summary>The <c>db</c> of a scope such as <c>logger.BeginScope(new Dictionary&lt;string, object?&gt; { ["db"] = name })</c>.</summary>
    private static string? DatabaseOf(object? scope) =>
        scope is IEnumerable<KeyValuePair<string, object?>> values ? values.FirstOrDefault(v => v.Key == "db").Value as string : null;

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        _ => "CRITICAL",
    };
}
