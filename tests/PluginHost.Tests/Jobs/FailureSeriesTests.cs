using Microsoft.Extensions.Logging;
using Npgsql;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// A loop's failures in a row are logged once, then at most once a minute with a count, then the recovery; a lost
/// connection without a stack trace (issue 9, item 3). The times are given, so no test waits a minute.
/// </summary>
public sealed class FailureSeriesTests
{
    private static readonly DateTime Start = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private ListLoggerProvider _log = null!;
    private FailureSeries _series = null!;

    [SetUp]
    public void CreateSeries()
    {
        _log = new ListLoggerProvider();
        _series = new FailureSeries(_log.CreateLogger("test"), "node heartbeat");
    }

    [TearDown]
    public void DisposeLog() => _log.Dispose();

    [Test]
    public async Task A_lost_connection_is_a_warning_without_stack_trace_then_once_a_minute_with_the_count()
    {
        var refused = await RefusedConnectionAsync();

        foreach (var seconds in new[] { 0, 1, 3, 7, 15, 31, 59.9, 60, 61, 119, 121 })
        {
            _series.Failed(refused, "restarting in 00:00:01", Start.AddSeconds(seconds));
        }

        Assert.That(_log.Lines.Select(l => (l.Level, l.Message, l.Exception)), Is.EqualTo(new (LogLevel, string, Exception?)[]
        {
            (LogLevel.Warning, $"node heartbeat failed; restarting in 00:00:01 (database connection lost: {refused.Message}: {refused.GetBaseException().Message})", null),
            (LogLevel.Warning, $"node heartbeat failed 8 times so far; the last time: {refused.Message}: {refused.GetBaseException().Message}", null),
            (LogLevel.Warning, $"node heartbeat failed 11 times so far; the last time: {refused.Message}: {refused.GetBaseException().Message}", null),
        }));
    }

    [Test]
    public void Another_error_is_logged_with_its_stack_trace_the_first_time_only()
    {
        var error = Thrown(() => throw new InvalidOperationException("the lease table is gone"));

        _series.Failed(error, "restarting in 00:00:01", Start);
        _series.Failed(error, "restarting in 00:00:02", Start.AddSeconds(30));
        _series.Failed(error, "restarting in 00:00:04", Start.AddSeconds(60));

        Assert.That(_log.Lines.Select(l => (l.Level, l.Message, l.Exception)), Is.EqualTo(new (LogLevel, string, Exception?)[]
        {
            (LogLevel.Error, "node heartbeat failed; restarting in 00:00:01", error),
            (LogLevel.Error, "node heartbeat failed 3 times so far; the last time: the lease table is gone", null),
        }));
    }

    [Test]
    public async Task A_success_logs_the_recovery_and_the_next_failure_begins_a_new_series()
    {
        var refused = await RefusedConnectionAsync();
        _series.Succeeded();
        _series.Failed(refused, "restarting in 00:00:01", Start);
        _series.Failed(refused, "restarting in 00:00:02", Start.AddSeconds(1));

        _series.Succeeded();
        _series.Succeeded();
        _series.Failed(refused, "restarting in 00:00:01", Start.AddSeconds(2));

        var lines = _log.Lines.ToList();
        Assert.That(lines.Select(l => l.Level), Is.EqualTo(new[] { LogLevel.Warning, LogLevel.Information, LogLevel.Warning }));
        Assert.That(lines[1].Message, Is.EqualTo("node heartbeat runs again after 2 failures"));
        Assert.That(lines[2].Message, Does.StartWith("node heartbeat failed; restarting in 00:00:01 (database connection lost: "));
    }

    /// <summary>What Npgsql throws when nothing listens on the server's port: a real lost connection.</summary>
    private static async Task<NpgsqlException> RefusedConnectionAsync()
    {
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={TestDatabase.FreePort()};Pooling=false");
        try
        {
            await connection.OpenAsync();
        }
        catch (NpgsqlException e)
        {
            return e;
        }

        throw new InvalidOperationException("a connection to a free port succeeded");
    }

    private static Exception Thrown(Action action)
    {
        try
        {
            action();
        }
        catch (InvalidOperationException e)
        {
            return e;
        }

        throw new InvalidOperationException("nothing was thrown");
    }
}
