using PluginHost.Addons.QueueJob;
using PluginHost.Host.Cli;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary><c>host queue …</c>, the operator's commands, run against a real database.</summary>
public sealed class QueueCommandTests : JobTestBase
{
    /// <summary>A second addon declaring test_queue_job's channel and one of its job functions again, merged by name.</summary>
    private const string ShopQueueXml = """
        <odoo>
          <record id="channel_sub" model="queue.job.channel">
            <field name="name">sub</field>
            <field name="parent_id" ref="queue_job.channel_root"/>
          </record>
          <record id="function_fail_retryable" model="queue.job.function">
            <field name="name">&lt;test.queue.job&gt;.FailRetryable</field>
            <field name="channel_id" ref="channel_sub"/>
            <field name="timeout" eval="60"/>
          </record>
        </odoo>
        """;

    [Test]
    public async Task List_shows_the_jobs_and_filters_by_state()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.AppendNoteAsync("listed")));

        var (code, text) = await RunAsync("list");
        var (_, failedOnly) = await RunAsync("list", "--state", "failed");

        Assert.That(code, Is.Zero);
        Assert.That(text, Does.Contain(job.Uuid).And.Contain("test.queue.job(1,).AppendNoteAsync('listed')"));
        Assert.That(failedOnly, Does.Not.Contain(job.Uuid));
    }

    [Test]
    public async Task Cancel_by_uuid_and_requeue_by_state_change_the_jobs()
    {
        var first = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.Crash("x")));
        var second = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.AppendNoteAsync("y")));
        await Jobs.RunAsync(first.Uuid);

        var (requeued, requeueText) = await RunAsync("requeue", "--state", "failed");
        var (cancelled, _) = await RunAsync("cancel", second.Uuid);

        Assert.That((requeued, cancelled), Is.EqualTo((0, 0)));
        Assert.That(requeueText, Does.Contain("requeue: 1 job(s)"));
        Assert.That((await Jobs.ReadAsync(first.Uuid)).State, Is.EqualTo("pending"));
        Assert.That((await Jobs.ReadAsync(second.Uuid)).State, Is.EqualTo("cancelled"));
    }

    [Test]
    public async Task Stats_count_jobs_per_channel()
    {
        await Jobs.EnqueueAsync(r => r.WithDelay(channel: "root.sub").EnqueueAsync(x => x.AppendNoteAsync("a")));
        await Jobs.EnqueueAsync(r => r.WithDelay(channel: "root.sub").EnqueueAsync(x => x.AppendNoteAsync("b")));

        var (_, text) = await RunAsync("stats");

        Assert.That(text, Does.Match(@"root\.sub\s+2\s+0\s+0\s+0"));
    }

    [Test]
    public async Task Enqueue_stores_a_job_from_its_model_method_and_json_arguments()
    {
        await Jobs.EnqueueAsync(r => Task.FromResult(0));

        var (code, text) = await RunAsync("enqueue", "--model", "test.queue.job", "--method", "AppendNoteAsync", "--ids", "1", "--args", "[\"from the shell\"]", "--priority", "3");
        var uuid = text.Trim().Split(' ')[^1];

        Assert.That(code, Is.Zero);
        Assert.That(await Jobs.Database.ScalarAsync<int>("SELECT priority FROM queue_job WHERE uuid = $1", uuid), Is.EqualTo(3), "issue 11: --priority is read");
        var row = await Jobs.RunAsync(uuid);
        Assert.That(row.State, Is.EqualTo("done"));
        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT note FROM test_queue_job WHERE id = 1"), Is.EqualTo("from the shell"));
    }

    [Test]
    public async Task Enqueue_takes_an_identity_key_an_eta_and_a_maximum_of_tries()
    {
        await Jobs.EnqueueAsync(r => Task.FromResult(0));
        string[] call = ["enqueue", "--model", "test.queue.job", "--method", "AppendNoteAsync", "--ids", "1", "--args", "[\"keyed\"]"];

        var (first, firstText) = await RunAsync([.. call, "--identity-key", "nightly", "--eta", "2030-01-01T00:30:00+01:00", "--max-retries", "2"]);
        var (second, secondText) = await RunAsync([.. call, "--identity-key", "nightly"]);
        var (relative, relativeText) = await RunAsync([.. call, "--identity-key", "exact", "--eta", "+3600"]);

        Assert.That((first, second, relative), Is.EqualTo((0, 0, 0)), firstText + secondText + relativeText);
        var uuid = firstText.Trim().Split(' ')[^1];
        Assert.That(secondText.Trim().Split(' ')[^1], Is.EqualTo(uuid), "the job waiting with the key stands for the second call");
        Assert.That(await Jobs.Database.ScalarAsync<string>(
            "SELECT identity_key || ' ' || max_retries || ' ' || to_char(eta AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM queue_job WHERE uuid = $1", uuid),
            Is.EqualTo("nightly 2 2029-12-31 23:30"));
        var later = await Jobs.Database.ScalarAsync<decimal>(
            "SELECT EXTRACT(EPOCH FROM eta - now()) FROM queue_job WHERE uuid = $1", relativeText.Trim().Split(' ')[^1]);
        Assert.That(later, Is.InRange(3500, 3700), "+3600 is an hour from now");
        Assert.That(await Jobs.Database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE identity_key = 'nightly'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Enqueue_keeps_a_description_starting_with_an_at_sign_as_it_is()
    {
        await Jobs.EnqueueAsync(r => Task.FromResult(0));

        var (code, text) = await RunAsync("enqueue", "--model", "test.queue.job", "--method", "AppendNoteAsync", "--ids", "1", "--args", "[\"x\"]", "--description", "@notes.txt");
        var uuid = text.Trim().Split(' ')[^1];

        Assert.That(code, Is.Zero, text);
        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT name FROM queue_job WHERE uuid = $1", uuid), Is.EqualTo("@notes.txt"));
    }

    [Test]
    public async Task Enqueue_binds_its_arguments_as_a_stored_job_does_parameters_with_defaults_filled()
    {
        await Jobs.EnqueueAsync(r => Task.FromResult(0));

        var (code, text) = await RunAsync("enqueue", "--model", "test.queue.job", "--method", "WriteNoteWithSuffixAsync", "--ids", "1", "--args", "[\"shell\"]");
        var row = await Jobs.RunAsync(text.Trim().Split(' ')[^1]);

        Assert.That((code, row.State, row.Result), Is.EqualTo((0, "done", "shell!")));
    }

    [Test]
    public async Task Enqueue_with_an_argument_that_does_not_fit_names_it_and_the_expected_type()
    {
        await Jobs.EnqueueAsync(r => Task.FromResult(0));

        var (code, text) = await RunAsync("enqueue", "--model", "test.queue.job", "--method", "FailRetryable", "--ids", "1", "--args", "[\"soon\"]");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(text, Does.Contain("argument 1 'seconds'").And.Contain("\"soon\"").And.Contain("Int32?"));
        Assert.That(await Jobs.Database.ScalarAsync<long>("SELECT count(*) FROM queue_job"), Is.Zero, "nothing stored");
    }

    [Test]
    public async Task Channels_lists_each_channel_with_the_addons_that_declare_it()
    {
        await InstallShopAsync();
        await Jobs.Database.ScalarAsync<object>(
            "INSERT INTO queue_job_channel (name, parent_id, complete_name, removal_interval) SELECT 'adhoc', id, 'root.adhoc', 7 FROM queue_job_channel WHERE name = 'root'");

        var (code, text) = await RunAsync("channels");

        Assert.That(code, Is.Zero);
        Assert.That(Lines(text), Is.EqualTo(new[]
        {
            "channel     removal interval  declared by",
            "root        30 days           queue_job",
            "root.adhoc  7 days            —",
            "root.sub    30 days           shop, test_queue_job",
        }));
    }

    [Test]
    public async Task Functions_lists_each_function_with_its_settings_and_the_addons_that_declare_it()
    {
        await InstallShopAsync();

        var (code, text) = await RunAsync("functions");

        Assert.That(code, Is.Zero);
        Assert.That(Lines(text), Is.EqualTo(new[]
        {
            "function                                                channel   retry pattern                    related action                        timeout  declared by",
            "<test.queue.job>.AppendNoteAsync                        root      —                                related_action_test {\"tab\": \"notes\"}  —        test_queue_job",
            "<test.queue.job>.Block                                  root      —                                default                               1 s      test_queue_job",
            "<test.queue.job>.FailNow                                root      —                                off                                   —        test_queue_job",
            "<test.queue.job>.FailRetryable                          root.sub  {1: 10, 5: 20, 10: 30, 15: 300}  default                               60 s     shop, test_queue_job",
            "<test.queue.job>.MarkThenSleepInDatabaseAsync           root      —                                default                               1 s      test_queue_job",
            "<test.queue.job>.MarkThenWaitIgnoringCancellationAsync  root      —                                default                               1 s      test_queue_job",
        }));
    }

    [TestCase(new[] { "nonsense" }, "host queue: unknown sub-command 'nonsense'")]
    [TestCase(new[] { "enqueue", "--model", "no.such", "--method", "X" }, "host queue enqueue: --model: no model 'no.such'")]
    [TestCase(new[] { "list", "--limit", "lots" }, "host queue list: --limit: expected an integer, got 'lots'")]
    [TestCase(new[] { "cancel" }, "host queue cancel: give job uuids or --state")]
    [TestCase(new[] { "list", "--state", "faild" }, "--state: expected one of wait_dependencies, pending, enqueued, started, done, cancelled, failed, got 'faild'")]
    [TestCase(new[] { "requeue", "--state", "FAILED" }, "--state: expected one of wait_dependencies, pending, enqueued, started, done, cancelled, failed, got 'FAILED'")]
    [TestCase(new[] { "enqueue", "--model", "test.queue.job", "--method", "Noop", "--ids", "404" }, "--ids: no test.queue.job record 404")]
    [TestCase(new[] { "enqueue", "--model", "test.queue.job", "--method", "Noop", "--args", "[note]" }, "--args: [note] is not JSON")]
    [TestCase(new[] { "enqueue", "--model", "test.queue.job", "--method", "AppendNoteAsync", "--ids", "1", "--prioritty", "1" }, "unknown option '--prioritty' (did you mean '--priority'?)")]
    [TestCase(new[] { "enqueue", "--model", "test.queue.job", "--method", "Noop", "--eta", "tomorrow" }, "--eta: expected an ISO 8601 time with its offset")]
    [TestCase(new[] { "enqueue", "--model", "test.queue.job", "--method", "Noop", "--eta", "2030-01-01T09:00:00" }, "got '2030-01-01T09:00:00'")]
    [TestCase(new[] { "enqueue", "--model", "test.queue.job", "--method", "Noop", "--max-retries", "-1" }, "--max-retries")]
    public async Task Bad_usage_says_what_was_expected_and_exits_with_2(string[] args, string message)
    {
        await Jobs.EnqueueAsync(r => Task.FromResult(0));

        var (code, text) = await RunAsync(args);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(text, Does.Contain(message).And.Contain("--help' for usage."));
        Assert.That(await Jobs.Database.ScalarAsync<long>("SELECT count(*) FROM queue_job"), Is.Zero, "nothing stored");
    }

    /// <summary>Installs, with a second host on the harness's database, an addon declaring test_queue_job's records again.</summary>
    private async Task InstallShopAsync()
    {
        using var addons = new TempAddons();
        addons.DataAddon("shop", ["test_queue_job"], "data/queue.xml");
        addons.Write("shop", "data/queue.xml", ShopQueueXml);
        var options = Jobs.Database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons, addons.Path) with { Init = ["shop"] };
        await using var host = await TestHost.BootAsync(options);
    }

    private static List<string> Lines(string text) => text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).ToList();

    /// <summary>
    /// <c>host queue ARGS</c> on the harness's database, parsed as the host parses it: the exit code and what was written to
    /// stdout and stderr.
    /// </summary>
    private Task<(int Code, string Output)> RunAsync(params string[] args) =>
        AddonCommandHarness.RunAsync(new QueueJobAddon(), "queue_job", Jobs.Host.Database, ["queue", .. args]);
}
