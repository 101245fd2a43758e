using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// The statements that take pending jobs in the runner's order read them from <c>queue_job_pending_order_index</c>
/// and stop at their limit, also when PostgreSQL's statistics still count few jobs, as just after a bulk insert:
/// a plan that sorts every pending job on each batch's claim cost batched completion half its speed (issue 8).
/// </summary>
public sealed class ClaimPlanTests : JobTestBase
{
    private const int Pending = 20_000;

    [SetUp]
    public async Task FillAfterAnalyzeAsync()
    {
        // Statistics taken while the table is small, as auto-analyze leaves them until it runs again.
        await Jobs.Database.ScalarAsync<object>("ANALYZE queue_job");
        await Jobs.Database.ScalarAsync<object>("""
            INSERT INTO queue_job (uuid, user_id, name, model_name, method_name, record_ids, records, args, func_string, state, channel)
            SELECT gen_random_uuid()::text, 1, 'noop', 'test.queue.job', 'Noop', '[]',
                   '{"_type": "odoo_recordset", "model": "test.queue.job", "ids": [], "uid": 1, "context": {}}', '[]', 'noop', 'pending', 'root'
            FROM generate_series(1, $1)
            """, Pending);
    }

    [Test]
    public async Task A_settle_hands_its_slot_over_from_the_pending_order_index_without_sorting() =>
        await AssertOrderedScanAsync(ClaimStatements.SettleDoneAndHandOver, 1L, Guid.NewGuid(), "null", 0.1, true);

    [Test]
    public async Task A_batch_settle_claims_the_next_batch_from_the_pending_order_index_without_sorting() =>
        await AssertOrderedScanAsync(ClaimStatements.SettleBatchAndHandOver, new[] { 1L, 2L }, new[] { Guid.NewGuid(), Guid.NewGuid() },
            new[] { "null", "null" }, new[] { 0.1, 0.1 }, true, 10);

    /// <summary>Plans <paramref name="sql"/> with $1–$3 of a claim followed by <paramref name="parameters"/>.</summary>
    private async Task AssertOrderedScanAsync(string sql, params object[] parameters)
    {
        await using var explain = Jobs.Host.Database.CreateCommand($"EXPLAIN (FORMAT TEXT) {sql}",
            [Environment.ProcessId, "plan-test", Guid.NewGuid(), .. parameters]);
        await using var reader = await explain.ExecuteReaderAsync();
        var plan = new List<string>();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(0));
        }

        var text = string.Join('\n', plan);
        Assert.That(text, Does.Contain("Index Scan using queue_job_pending_order_index"), text);
        Assert.That(text, Does.Not.Contain("Sort"), text);
    }
}
