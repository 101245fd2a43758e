using System.Reflection;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Mapping;
using PluginHost.Addons.QueueJob;
using PluginHost.Sdk;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Jobs;

/// <summary>The linq2db row types of queue_job's tables map every column, both ways.</summary>
public sealed class QueueJobRowTests : JobTestBase
{
    [Test]
    public async Task A_queue_job_row_round_trips_every_column()
    {
        await using var env = await Jobs.Host.Database.BeginAsync();
        var function = await env.ScalarAsync<long>("SELECT min(id) FROM queue_job_function");
        var id = await env.ScalarAsync<long>("""
            INSERT INTO queue_job (uuid, graph_uuid, user_id, company_id, name, model_name, method_name, record_ids, records,
                dependencies, args, kwargs, func_string, state, priority, exc_name, exc_message, exc_info, result,
                date_created, date_started, date_enqueued, date_done, date_cancelled, exec_time, eta, retry, max_retries,
                channel_method_name, job_function_id, channel, identity_key, worker_pid, worker_node, try_token)
            VALUES ('u-1', 'g-1', 1, 7, 'a name', 'test.queue.job', 'Noop', '[3]', '{"ids": [3]}',
                '{"depends_on": ["u-0"], "reverse_depends_on": []}', '[1, "two"]', '{"k": 1}', 'f()', 'failed', 4, 'E', 'msg', 'trace', 'res',
                '2026-01-02 03:04:05.123456+00', '2026-01-02 03:04:06+00', '2026-01-02 03:04:07+00', '2026-01-02 03:04:08+00',
                '2026-01-02 03:04:09+00', 1.5, '2026-01-02 03:04:10+00', 3, 9, '<test.queue.job>.Noop', $1, 'root.x', 'key', 4242, 'node-a',
                '6f1c2d0e-8a6b-4c3f-9d7e-2b1a0c9f8e7d')
            RETURNING id
            """, function);
        var before = await env.ScalarAsync<string>("SELECT to_jsonb(q)::text FROM queue_job q WHERE id = $1", id);

        var row = await env.Query<QueueJobRow>().SingleAsync(r => r.Id == id);
        await env.Data.UpdateAsync(row);

        Assert.That(await env.ScalarAsync<string>("SELECT to_jsonb(q)::text FROM queue_job q WHERE id = $1", id), Is.EqualTo(before), "written back unchanged");
        Assert.That(row.Uuid, Is.EqualTo("u-1"));
        Assert.That(row.Dependencies, Does.Contain("u-0"));
        Assert.That(row.DateCreated, Is.EqualTo(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234560)));
        Assert.That(row.TryToken, Is.EqualTo(Guid.Parse("6f1c2d0e-8a6b-4c3f-9d7e-2b1a0c9f8e7d")));
        Assert.That(Nulls(row), Is.Empty, "every column holds a value");
    }

    [Test]
    public async Task The_row_types_map_exactly_the_columns_of_their_tables()
    {
        await using var env = await Jobs.Host.Database.BeginAsync();
        foreach (var type in new[] { typeof(QueueJobRow), typeof(QueueJobChannelRow), typeof(QueueJobFunctionRow) })
        {
            var descriptor = RowMapping.Schema.GetEntityDescriptor(type);
            var table = descriptor.Name.Name;
            var columns = await env.Query<ColumnOf>().Where(c => c.Table == table && c.Schema == "public").Select(c => c.Name).ToListAsync();
            Assert.That(descriptor.Columns.Select(c => c.ColumnName), Is.EquivalentTo(columns), type.Name);
        }
    }

    private static IEnumerable<string> Nulls(QueueJobRow row) =>
        typeof(QueueJobRow).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetValue(row) is null).Select(p => p.Name);

    /// <summary>A column as information_schema lists it.</summary>
    [Table("columns", Schema = "information_schema")]
    private sealed class ColumnOf
    {
        [Column("table_schema")]
        public string Schema { get; set; } = "";

        [Column("table_name")]
        public string Table { get; set; } = "";

        [Column("column_name")]
        public string Name { get; set; } = "";
    }
}
