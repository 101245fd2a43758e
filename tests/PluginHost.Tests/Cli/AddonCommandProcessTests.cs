using System.Globalization;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Cli;

/// <summary>
/// A real <c>host queue …</c> process on a database where test_queue_job is installed: the command, known before the
/// connection from the addons loaded to read it, runs on the same loaded addons once booted (issue 11, item 2).
/// </summary>
public sealed class AddonCommandProcessTests : HostProcessTestBase
{
    [Test]
    public async Task Enqueue_stores_the_job_with_the_priority_given_after_the_command_words()
    {
        await EnqueueAsync(1, (_, _) => Task.CompletedTask);
        var id = await Database.ScalarAsync<long>("SELECT min(id) FROM test_queue_job");

        await using var command = HostProcess.Run([
            "queue", "enqueue", "--model", "test.queue.job", "--method", "AppendNoteAsync", "--ids", id.ToString(CultureInfo.InvariantCulture),
            "--args", "[\"from a process\"]", "--priority", "3", "--description", "@notes", .. Flags()]);
        var exitCode = await command.ExitCodeAsync(120);

        Assert.That(exitCode, Is.Zero, string.Join(Environment.NewLine, command.Log));
        var uuid = command.Log.Single(l => l.StartsWith("enqueued ", StringComparison.Ordinal))["enqueued ".Length..];
        Assert.That(await Database.ScalarAsync<int>("SELECT priority FROM queue_job WHERE uuid = $1", uuid), Is.EqualTo(3));
        Assert.That(await Database.ScalarAsync<string>("SELECT name FROM queue_job WHERE uuid = $1", uuid), Is.EqualTo("@notes"));
    }

    [Test]
    public async Task A_usage_error_only_the_database_reveals_goes_to_stderr_with_exit_code_2()
    {
        await using var command = HostProcess.Run(["queue", "enqueue", "--model", "no.such", "--method", "X", .. Flags()]);

        var exitCode = await command.ExitCodeAsync(120);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(command.Log, Has.One.EqualTo("host queue enqueue: --model: no model 'no.such' in the installed addons"));
        Assert.That(await Database.ScalarAsync<long>("SELECT count(*) FROM queue_job"), Is.Zero);
    }

    /// <summary>The flags of a command on the test database, with the repository's and the fixtures' addons.</summary>
    private List<string> Flags()
    {
        var options = Database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons);
        List<string> flags =
        [
            "--addons-path", string.Join(",", options.AddonsPath), "-d", options.Database, "--db-host", options.DbHost,
            "--db-port", options.DbPort.ToString(CultureInfo.InvariantCulture),
        ];
        if (options.DbUser is not null)
        {
            flags.AddRange(["--db-user", options.DbUser]);
        }

        if (options.DbPassword is not null)
        {
            flags.AddRange(["--db-password", options.DbPassword]);
        }

        return flags;
    }
}
