using System.Data;
using System.Data.Common;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Tells of jobs that failed for good, once their <c>failed</c> state is committed: a warning naming the job, always,
/// and the addons' <see cref="IJobFailureHandler"/>s, called in the background (one failure at a time, each handler
/// call bounded by <see cref="JobFailedContext.HandlerTimeout"/>), so that a slow handler holds no worker slot, no
/// claim and no runner round. A handler that throws is logged; the job stays failed.
/// </summary>
/// <remarks>
/// At most <see cref="Backlog"/> failures wait for the handlers; beyond, whoever stored the next failure waits for
/// room (memory stays bounded in a failure storm). When the host stops, the failures waiting are given
/// <see cref="DrainTimeout"/>; those left are named in a warning.
/// </remarks>
internal sealed class JobFailureNotifier : IDisposable
{
    /// <summary>Failures that may wait for the handlers before the next one waits for room.</summary>
    public const int Backlog = 1000;

    /// <summary>How long the failures waiting at stop are given to reach the handlers.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private readonly IJobFailureHandler[] _handlers;
    private readonly ILogger _logger;
    private readonly TimeSpan _handlerTimeout;
    private readonly Channel<JobFailedContext> _queue =
        Channel.CreateBounded<JobFailedContext>(new BoundedChannelOptions(Backlog) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Lazy<Task> _consumer;

    /// <summary>A notifier calling <paramref name="handlers"/> (every addon's), each call bounded by <paramref name="handlerTimeout"/>.</summary>
    public JobFailureNotifier(IEnumerable<IJobFailureHandler> handlers, ILogger logger, TimeSpan? handlerTimeout = null)
    {
        (_handlers, _logger, _handlerTimeout) = (handlers.ToArray(), logger, handlerTimeout ?? JobFailedContext.HandlerTimeout);
        _consumer = new Lazy<Task>(() => Task.Run(ConsumeAsync));
    }

    /// <summary>Logs the failure, then queues it for the handlers; waits only while <see cref="Backlog"/> failures wait.</summary>
    public async ValueTask NotifyAsync(JobFailedContext failure)
    {
        _logger.LogWarning("job {Uuid} {Model}.{Method} on {Channel} of db {Database} failed for good on try {Retry}: {Exception}: {Message}; it waits for a person to requeue, cancel or set it done",
            failure.Uuid, failure.ModelName, failure.MethodName, failure.Channel, failure.Database.Name, failure.Retry, failure.ExceptionName, failure.ExceptionMessage);
        if (_handlers.Length == 0)
        {
            return;
        }

        _ = _consumer.Value;
        try
        {
            await _queue.Writer.WriteAsync(failure);
        }
        catch (ChannelClosedException)
        {
            _logger.LogWarning("job {Uuid}: the node is stopping; its failure is not handed to the failure handlers", failure.Uuid);
        }
    }

    /// <summary>What a handler is told of <paramref name="job"/>, failed with <paramref name="failed"/> in <paramref name="database"/>.</summary>
    public static JobFailedContext Describe(Database database, ClaimedJob job, JobOutcome.Failed failed) => new()
    {
        Database = database, Uuid = job.Uuid, ModelName = job.ModelName, MethodName = job.MethodName, RecordIds = RecordIds(job.Records),
        UserId = job.UserId, Channel = job.Channel, ExceptionName = failed.ExceptionName, ExceptionMessage = failed.Message,
        ExceptionInfo = failed.Details, Retry = job.Retry, MaxRetries = job.MaxRetries,
    };

    /// <summary>What a handler is told of the failed job read by column name from <paramref name="row"/> (uuid, model_name, …, records).</summary>
    public static JobFailedContext Describe(Database database, DbDataReader row)
    {
        using var records = JsonDocument.Parse(row.GetFieldValue<string>("records"));
        return new()
        {
            Database = database, Uuid = row.GetFieldValue<string>("uuid"), ModelName = row.GetFieldValue<string>("model_name"),
            MethodName = row.GetFieldValue<string>("method_name"),
            RecordIds = RecordIds(records.RootElement),
            UserId = row.GetFieldValue<long?>("user_id"), Channel = row.GetFieldValue<string>("channel"),
            ExceptionName = TextOrEmpty(row, "exc_name"), ExceptionMessage = TextOrEmpty(row, "exc_message"), ExceptionInfo = TextOrEmpty(row, "exc_info"), Retry = row.GetFieldValue<int>("retry"), MaxRetries = row.GetFieldValue<int>("max_retries"),
        };
    }

    /// <summary>Stops taking failures and gives those waiting <see cref="DrainTimeout"/> to reach the handlers.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        if (_consumer.IsValueCreated && !_consumer.Value.Wait(DrainTimeout))
        {
            _logger.LogWarning("the node stopped with {Count} job failures not yet handed to the failure handlers", _queue.Reader.Count);
        }
    }

    private static string TextOrEmpty(DbDataReader row, string column) => row.IsDBNull(column) ? "" : row.GetFieldValue<string>(column);

    /// <summary>The ids of a stored recordset (<c>{"ids": [1, 2]}</c>); none when they do not read as whole numbers.</summary>
    private static long[] RecordIds(JsonElement records) =>
        records.ValueKind == JsonValueKind.Object && records.TryGetProperty("ids", out var ids) && ids.ValueKind == JsonValueKind.Array
            && ids.EnumerateArray().All(i => i.ValueKind == JsonValueKind.Number && i.TryGetInt64(out _))
            ? ids.EnumerateArray().Select(i => i.GetInt64()).ToArray()
            : [];

    private async Task ConsumeAsync()
    {
        await foreach (var failure in _queue.Reader.ReadAllAsync())
        {
            foreach (var handler in _handlers)
            {
                await CallAsync(handler, failure);
            }
        }
    }

    /// <summary>Calls one handler on a thread of its own (one that blocks does too), abandoning it at the timeout.</summary>
    private async Task CallAsync(IJobFailureHandler handler, JobFailedContext failure)
    {
        using var timeout = new CancellationTokenSource(_handlerTimeout);
        var call = Task.Run(() => handler.OnJobFailedAsync(failure, timeout.Token), CancellationToken.None);
        try
        {
            await call.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            _logger.LogWarning("failure handler {Handler} took longer than {Timeout} for job {Uuid}; the next handlers run without waiting for it",
                handler.GetType().FullName, _handlerTimeout, failure.Uuid);
            _ = call.ContinueWith(late => _logger.LogError(late.Exception, "failure handler {Handler} threw for job {Uuid}, past its timeout", handler.GetType().FullName, failure.Uuid),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogError(e, "failure handler {Handler} threw for job {Uuid}; the job stays failed", handler.GetType().FullName, failure.Uuid);
        }
    }
}
