using PluginHost.Addons.QueueJob;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>Arguments stored as JSON with typed markers, and jobs that no longer fit their method (issue 3, point 3).</summary>
public sealed class JobArgumentTests : JobTestBase
{

    [Test]
    public async Task Dates_decimals_enums_lists_dicts_recordsets_and_nulls_round_trip()
    {
        var when = new DateTime(2026, 11, 27, 21, 30, 15, 123, DateTimeKind.Utc);
        var labels = new Dictionary<string, string> { ["lang"] = "fr_FR" };
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x =>
            x.DescribeAsync(when, new DateOnly(2026, 1, 2), 12.340m, Outcome.Fail, new List<int> { 3, 1, 2 },
                labels, x, null)));

        var row = await Jobs.RunAsync(job.Uuid);

        Assert.That(row.Result, Is.EqualTo("2026-11-27T21:30:15.1230000Z | Utc | 2026-01-02 | 12.340 | Fail | 3,1,2 | lang=fr_FR | test.queue.job(1,) | null"));
        Assert.That(await Jobs.Database.ScalarAsync<string>(
            "SELECT concat_ws(' ', args->0->>'_type', args->2->>'_type', args->2->>'value', args->6->>'_type', args->6->>'model', args->6->'ids') FROM queue_job WHERE uuid = $1",
            job.Uuid), Is.EqualTo("datetime_isoformat decimal 12.340 odoo_recordset test.queue.job [1]"));
    }

    [Test]
    public async Task The_task_text_reads_like_odoo()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.Crash("it's")));

        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT func_string FROM queue_job WHERE uuid = $1", job.Uuid),
            Is.EqualTo("test.queue.job(1,).Crash('it\\'s')"));
    }

    [Test]
    public async Task A_job_whose_method_was_renamed_fails_with_a_message_saying_so()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.WriteNoteAsync("x")));
        await Jobs.Database.ScalarAsync<object>("UPDATE queue_job SET method_name = 'WriteMemoAsync' WHERE uuid = $1", job.Uuid);

        var row = await Jobs.RunAsync(job.Uuid);

        Assert.That(row.State, Is.EqualTo("failed"));
        Assert.That(row.ExcMessage, Does.Contain("no public method WriteMemoAsync taking 1 argument").And.Contain("renamed"));
    }

    [Test]
    public async Task A_job_stored_before_its_method_gained_a_parameter_with_a_default_still_runs()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.WriteNoteAsync("x")));
        await Jobs.Database.ScalarAsync<object>("UPDATE queue_job SET method_name = 'WriteNoteWithSuffixAsync' WHERE uuid = $1", job.Uuid);

        var row = await Jobs.RunAsync(job.Uuid);

        Assert.That((row.State, row.Result), Is.EqualTo(("done", "x!")));
    }

    [TestCase("[5]", "one 5")]
    [TestCase("[5, \"label\"]", "two 5 label")]
    public async Task Among_overloads_the_fewest_parameters_that_bind_win(string args, string result)
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.Choose(5)));
        await Jobs.Database.ScalarAsync<object>("UPDATE queue_job SET args = $2::jsonb WHERE uuid = $1", job.Uuid, args);

        var row = await Jobs.RunAsync(job.Uuid);

        Assert.That((row.State, row.Result), Is.EqualTo(("done", result)));
    }

    [Test]
    public async Task Two_overloads_the_stored_arguments_fit_alike_fail_the_job_naming_both()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.Twin(5)));

        var row = await Jobs.RunAsync(job.Uuid);

        Assert.That(row.State, Is.EqualTo("failed"));
        Assert.That(row.ExcMessage, Does.Contain("Twin(Int32 value)").And.Contain("Twin(Int64 value)"));
    }

    [Test]
    public async Task Stored_args_that_are_not_a_json_array_fail_the_job_naming_the_field()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.WriteNoteAsync("x")));
        await Jobs.Database.ScalarAsync<object>("UPDATE queue_job SET args = '{\"note\": \"x\"}' WHERE uuid = $1", job.Uuid);

        var row = await Jobs.RunAsync(job.Uuid);

        Assert.That(row.State, Is.EqualTo("failed"));
        Assert.That(row.ExcMessage, Does.Contain("args: stored value {\"note\": \"x\"} is not a JSON array of arguments"));
    }

    [TestCase("{\"_type\": \"odoo_recordset\", \"model\": \"test.queue.job\", \"ids\": \"7\"}",
        "records: value {\"ids\": \"7\", \"_type\": \"odoo_recordset\", \"model\": \"test.queue.job\"} does not fit Model: field 'ids': expected a JSON array of record ids (whole numbers), got \"7\"")]
    [TestCase("{\"_type\": \"odoo_recordset\", \"model\": \"test.queue.job\", \"ids\": [1.5]}", "field 'ids': expected a JSON array of record ids (whole numbers), got [1.5]")]
    [TestCase("{\"_type\": \"odoo_recordset\", \"ids\": [1]}", "field 'model': expected the model's name as a JSON string, got nothing")]
    [TestCase("{\"_type\": \"odoo_recordset\", \"model\": \"no.such.model\", \"ids\": [1]}", "records: value {\"ids\": [1], \"_type\": \"odoo_recordset\", \"model\": \"no.such.model\"} does not fit Model: Unknown model 'no.such.model'. Known models: ")]
    public async Task Stored_records_that_cannot_be_bound_fail_the_job_naming_the_field_and_the_expected_shape(string records, string expected)
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.WriteNoteAsync("x")));
        await Jobs.Database.ScalarAsync<object>("UPDATE queue_job SET records = $2::jsonb WHERE uuid = $1", job.Uuid, records);

        var row = await Jobs.RunAsync(job.Uuid);

        Assert.That(row.State, Is.EqualTo("failed"));
        Assert.That(row.ExcMessage, Does.Contain(expected));
    }

    [Test]
    public async Task A_job_whose_argument_no_longer_fits_the_parameter_fails_naming_it()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.FailRetryable(5)));
        await Jobs.Database.ScalarAsync<object>("UPDATE queue_job SET args = '[\"five\"]' WHERE uuid = $1", job.Uuid);

        var row = await Jobs.RunAsync(job.Uuid);

        Assert.That(row.State, Is.EqualTo("failed"));
        Assert.That(row.ExcMessage, Does.Contain("argument 1 'seconds' of FailRetryable").And.Contain("\"five\"").And.Contain("Int32?"));
    }

    [Test]
    public async Task A_call_that_is_not_a_method_of_the_records_is_refused_when_enqueued()
    {
        Assert.That(() => Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => Console.WriteLine(x))),
            Throws.ArgumentException.With.Message.Contains("Expected a call of a method on the recordset"));
        Assert.That(await Jobs.Database.ScalarAsync<long>("SELECT count(*) FROM queue_job"), Is.Zero);
    }
}
