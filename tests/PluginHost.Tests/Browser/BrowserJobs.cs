using PluginHost.Addons.QueueJob;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Browser;

/// <summary>The jobs a browser test looks at, made through the job API (and SQL for bulk), each on its own test.queue.job record.</summary>
internal sealed class BrowserJobs(BootedHost host, TestDatabase database)
{
    /// <summary>A job that raises <paramref name="message"/>, described <paramref name="description"/>, once it has failed.</summary>
    public async Task<string> FailedAsync(string description, string message)
    {
        var job = await EnqueueAsync(description, null, r => r.WithDelay(description: description).EnqueueAsync(x => x.Crash(message)));
        await UntilStateAsync(job.Uuid, "failed");
        return job.Uuid;
    }

    /// <summary>
    /// A job that fails while its record's note reads "fail", once it has failed; <see cref="LetSucceedAsync"/>
    /// lets its next run succeed.
    /// </summary>
    public async Task<string> FailingUntilToldAsync(string description)
    {
        var job = await EnqueueAsync(description, "fail", r => r.WithDelay(description: description).EnqueueAsync(x => x.FailWhenNotedAsync(description)));
        await UntilStateAsync(job.Uuid, "failed");
        return job.Uuid;
    }

    /// <summary>Lets the job of <see cref="FailingUntilToldAsync"/> succeed when it runs again.</summary>
    public Task LetSucceedAsync(string uuid) =>
        database.ScalarAsync<object>("UPDATE test_queue_job SET note = 'ok' WHERE id = (SELECT (record_ids ->> 0)::bigint FROM queue_job WHERE uuid = $1)", uuid);

    /// <summary>A job on a record named <paramref name="recordName"/>, once done; its related action opens that record.</summary>
    public async Task<string> DoneOnRecordAsync(string recordName)
    {
        var job = await EnqueueAsync(recordName, null, r => r.WithDelay().EnqueueAsync(x => x.WriteNoteAsync("written")));
        await UntilStateAsync(job.Uuid, "done");
        return job.Uuid;
    }

    /// <summary><paramref name="count"/> jobs that stay pending: their eta is an hour away.</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(int count)
    {
        var uuids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var job = await EnqueueAsync($"pending {i}", null, r => r.WithDelay(eta: DateTime.UtcNow.AddHours(1), description: $"Pending job {i}").EnqueueAsync(x => x.Noop()));
            uuids.Add(job.Uuid);
        }

        return uuids;
    }

    /// <summary>
    /// <paramref name="count"/> done jobs inserted with SQL, created a second apart from now plus <paramref name="from"/>
    /// (zero: newer than every job made so far; negative: older).
    /// </summary>
    public Task InsertDoneAsync(int count, TimeSpan from) => database.ScalarAsync<object>("""
        INSERT INTO queue_job (uuid, user_id, name, model_name, method_name, record_ids, records, args, func_string, state, channel,
                               date_created, date_enqueued, date_started, date_done, exec_time, result)
        SELECT gen_random_uuid()::text, 1, 'Nightly sync batch ' || i, 'test.queue.job', 'Noop', '[]', '{}', '[]', 'test.queue.job().Noop()', 'done', 'root',
               created, created, created, created + make_interval(secs => 0.05 + i % 7 * 0.13), 0.05 + i % 7 * 0.13, 'synced'
        FROM generate_series(1, $1) i,
             LATERAL (SELECT now() + make_interval(secs => $2 + i) AS created) c
        """, count, from.TotalSeconds);

    /// <summary>
    /// The graph A, then B and C side by side, then D (descriptions "Graph A"…), once all are done; their uuids by
    /// description.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> DoneGraphAsync()
    {
        await using (var env = await host.Database.BeginAsync())
        {
            var records = env.Model<TestQueueJobModel>();
            var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = "graph" }));
            await JobGraph.Chain(
                record.Delayable(description: "Graph A").Call(x => x.AppendNoteAsync("A")),
                JobGraph.Group(
                    record.Delayable(description: "Graph B").Call(x => x.AppendNoteAsync("B")),
                    record.Delayable(description: "Graph C").Call(x => x.AppendNoteAsync("C"))),
                record.Delayable(description: "Graph D").Call(x => x.AppendNoteAsync("D"))).DelayAsync();
            await env.CommitAsync();
        }

        await using var listener = await database.ListenAsync();
        await listener.UntilAsync(async () => await database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE name LIKE 'Graph _' AND state IN ('done', 'failed')") == 4);
        var rows = await database.ColumnAsync<string>("SELECT name || ' ' || uuid || ' ' || state FROM queue_job WHERE name LIKE 'Graph _' ORDER BY name");
        Assert.That(rows.Select(r => r.Split(' ')[^1]), Is.EqualTo(new[] { "done", "done", "done", "done" }), string.Join("\n", rows));
        return rows.ToDictionary(r => r[..7], r => r.Split(' ')[2]);
    }

    /// <summary>Waits, on the runner's notifications, until the job is in <paramref name="state"/>; fails the test after 60 s.</summary>
    public async Task UntilStateAsync(string uuid, string state)
    {
        await using var listener = await database.ListenAsync();
        await listener.UntilAsync(async () => await database.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", uuid) == state);
        Assert.That(await database.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", uuid), Is.EqualTo(state), $"job {uuid}");
    }

    private async Task<DelayedJob> EnqueueAsync(string recordName, string? note, Func<TestQueueJobModel, Task<DelayedJob>> enqueue)
    {
        await using var env = await host.Database.BeginAsync();
        var records = env.Model<TestQueueJobModel>();
        var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = recordName, ["note"] = note }));
        var job = await enqueue(record);
        await env.CommitAsync();
        return job;
    }
}
