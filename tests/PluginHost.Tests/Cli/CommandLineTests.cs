using PluginHost.Addons.QueueJob;
using PluginHost.Host.Cli;
using PluginHost.Sdk;

namespace PluginHost.Tests.Cli;

/// <summary>The <c>host</c> command line with the commands queue_job declares (issue 11, item 2); parsing needs no database.</summary>
public sealed class CommandLineTests
{
    private static readonly IReadOnlyList<DeclaredCommand> QueueCommands =
        new QueueJobAddon().Commands.Select(c => new DeclaredCommand("queue_job", c)).ToList();

    [Test]
    public void Flags_in_long_short_and_inline_forms_set_their_options_keys()
    {
        var line = CommandLine.Parse(["-d", "shop", "--http-port=9000", "--load", "web,queue_job", "-i", "a,b", "--stop-after-init", "-c", "host.conf"]);

        Assert.That(line.Overrides, Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["options:db_name"] = "shop", ["options:http_port"] = "9000", ["options:server_wide_modules"] = "web,queue_job",
            ["options:init"] = "a,b", ["options:stop_after_init"] = "true",
        }));
        Assert.That(line.ConfigFile, Is.EqualTo("host.conf"));
        Assert.That((line.Help, line.Command), Is.EqualTo((false, (AddonCommand?)null)));
    }

    [Test]
    public void Flags_not_given_set_no_key_switches_included()
    {
        Assert.That(CommandLine.Parse(["-d", "shop"]).Overrides, Is.EquivalentTo(new Dictionary<string, string?> { ["options:db_name"] = "shop" }));
        Assert.That(CommandLine.Parse(["queue", "list"], QueueCommands).Overrides, Is.Empty);
    }

    [Test]
    public void A_flag_given_twice_takes_its_last_value()
    {
        Assert.That(CommandLine.Parse(["-d", "first", "--database", "second"]).Overrides["options:db_name"], Is.EqualTo("second"));
    }

    [Test]
    public void A_command_gets_its_options_checked_and_typed_and_host_keeps_its_flags_after_the_command_words()
    {
        var line = CommandLine.Parse(["queue", "list", "--state", "failed", "-d", "shop", "--limit=5"], QueueCommands);

        Assert.That((line.CommandPath, line.CommandAddon), Is.EqualTo(("queue list", "queue_job")));
        Assert.That((line.Values!.Text("--state"), line.Values.Integer("--limit"), line.Values.Text("--channel")), Is.EqualTo(("failed", 5, (string?)null)));
        Assert.That(line.Overrides["options:db_name"], Is.EqualTo("shop"));
    }

    [Test]
    public void Host_flags_may_come_before_the_command_words()
    {
        var line = CommandLine.Parse(["-d", "shop", "queue", "cancel", "u1", "u2"], QueueCommands);

        Assert.That(line.CommandPath, Is.EqualTo("queue cancel"));
        Assert.That(line.Values!.Words("UUID"), Is.EqualTo(new[] { "u1", "u2" }));
        Assert.That(line.Overrides["options:db_name"], Is.EqualTo("shop"));
    }

    [Test]
    public void An_unknown_flag_is_named_with_the_nearest_one()
    {
        Assert.That(() => CommandLine.Parse(["--databse", "x"]), Throws.InstanceOf<CommandLineException>()
            .With.Message.Contains("unknown option '--databse' (did you mean '--database'?)").And.Message.Contains("host --help"));
    }

    [Test]
    public void An_unknown_option_of_a_command_is_refused_naming_the_nearest_option_of_that_command()
    {
        // Issue 11: this stored a job of priority 10, the flag silently ignored.
        var error = Assert.Throws<CommandLineException>(() =>
            CommandLine.Parse(["queue", "enqueue", "--model", "m", "--method", "M", "--prioritty", "1"], QueueCommands));

        Assert.That(error!.CommandPath, Is.EqualTo("host queue enqueue"));
        Assert.That(error.Errors, Is.EqualTo(new[] { "unknown option '--prioritty' (did you mean '--priority'?)" }));
        Assert.That(error.Message, Does.EndWith("Run 'host queue enqueue --help' for usage."));
    }

    [TestCase(new[] { "queue", "enqueue", "--model", "m", "--method", "M", "--priority", "x" }, "--priority: expected an integer, got 'x'")]
    [TestCase(new[] { "queue", "enqueue", "--model", "m", "--method", "M", "--ids", "1,x" }, "--ids: expected comma-separated integers such as 1,2,3, got '1,x'")]
    [TestCase(new[] { "queue", "enqueue", "--model", "m", "--method", "M", "--args", "{\"a\": 1}" }, "--args: expected a JSON array")]
    [TestCase(new[] { "queue", "enqueue", "--method", "M" }, "missing --model MODEL")]
    [TestCase(new[] { "queue", "list", "--limit", "0" }, "--limit: expected an integer of at least 1, got '0'")]
    [TestCase(new[] { "queue", "list", "--state", "faild" }, "--state: expected one of wait_dependencies, pending, enqueued, started, done, cancelled, failed, got 'faild'")]
    [TestCase(new[] { "queue", "done" }, "give job uuids or --state")]
    [TestCase(new[] { "queue" }, "expected a sub-command: list, stats, channels, functions, requeue, cancel, done, enqueue")]
    [TestCase(new[] { "queue", "lst" }, "unknown sub-command 'lst' (did you mean 'list'?)")]
    [TestCase(new[] { "queu", "list" }, "unknown command 'queu' (did you mean 'queue'?)")]
    [TestCase(new[] { "queue", "stats", "extra" }, "unexpected argument 'extra'")]
    public void Bad_usage_names_the_flag_or_word_and_what_was_expected(string[] args, string message)
    {
        Assert.That(() => CommandLine.Parse(args, QueueCommands), Throws.InstanceOf<CommandLineException>().With.Message.Contains(message));
    }

    [Test]
    public void A_flag_without_its_value_is_named()
    {
        Assert.That(() => CommandLine.Parse(["--db-port"]), Throws.InstanceOf<CommandLineException>().With.Message.Contains("--db-port needs a value (PORT)"));
    }

    [Test]
    public void A_switch_given_a_value_is_an_error()
    {
        Assert.That(() => CommandLine.Parse(["--stop-after-init=yes"]), Throws.InstanceOf<CommandLineException>().With.Message.Contains("--stop-after-init takes no value"));
    }

    [Test]
    public void A_value_starting_with_an_at_sign_stays_a_value_as_response_files_are_off()
    {
        var line = CommandLine.Parse(["queue", "enqueue", "--model", "m", "--method", "M", "--description", "@notes.txt", "-d", "@shop"], QueueCommands);

        Assert.That(line.Values!.Text("--description"), Is.EqualTo("@notes.txt"));
        Assert.That(line.Overrides["options:db_name"], Is.EqualTo("@shop"));
    }

    [Test]
    public void Help_lists_every_flag_and_the_commands_of_the_addons()
    {
        var help = CommandLine.HelpText(QueueCommands);

        Assert.That(CommandLine.Options, Has.Count.GreaterThanOrEqualTo(17));
        foreach (var option in CommandLine.Options)
        {
            Assert.That(help, Does.Contain(option.Long).And.Contain(option.Help), option.Long);
        }

        Assert.That(help, Does.Contain("queue").And.Contain(QueueCommands[0].Command.Summary).And.Contain("ODOO_QUEUE_JOB_CHANNELS"));
    }

    [Test]
    public void Help_is_asked_for_with_h()
    {
        Assert.That(CommandLine.Parse(["-h"]).Help, Is.True);
    }

    [Test]
    public void Every_command_has_its_help_with_its_options_and_sub_commands()
    {
        foreach (var (path, command) in Commands(QueueCommands[0].Command, []))
        {
            var line = CommandLine.Parse([.. path, "--help"], QueueCommands);
            var help = CommandLine.HelpText([.. path, "--help"], QueueCommands);

            Assert.That(line.Help, Is.True, string.Join(" ", path));
            Assert.That(help, Does.Contain($"host {string.Join(" ", path)}").And.Contain(command.Summary), string.Join(" ", path));
            Assert.That(command.Options.Select(o => o.Name).Concat(command.SubCommands.Select(c => c.Name)), Has.All.Matches<string>(help.Contains), string.Join(" ", path));
        }
    }

    [Test]
    public void Help_of_a_sub_command_is_its_own_and_not_the_hosts()
    {
        var help = CommandLine.HelpText(["queue", "enqueue", "--help"], QueueCommands);

        Assert.That(help, Does.Contain("host queue enqueue [options]").And.Contain("--priority <N>").And.Not.Contain("ODOO_QUEUE_JOB_CHANNELS"));
    }

    [Test]
    public void Completion_offers_the_sub_commands_and_the_values_an_option_accepts()
    {
        using var commands = new StringWriter();
        using var states = new StringWriter();

        CommandLine.Parse(["[suggest:8]", "queue en"], QueueCommands).Answer(commands);
        CommandLine.Parse(["[suggest:21]", "queue list --state fa"], QueueCommands).Answer(states);

        Assert.That(commands.ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "enqueue" }));
        Assert.That(states.ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "failed" }));
    }

    [Test]
    public void Words_beyond_the_host_flags_ask_for_the_addons_commands()
    {
        Assert.That(CommandLine.ParseHostFlags(["-d", "shop", "--stop-after-init"]).NeedsAddonCommands, Is.False);
        Assert.That(CommandLine.ParseHostFlags(["-d", "shop", "queue", "list"]).NeedsAddonCommands, Is.True);
        Assert.That(CommandLine.ParseHostFlags(["--help"]).NeedsAddonCommands, Is.True);
    }

    private static IEnumerable<(string[] Path, AddonCommand Command)> Commands(AddonCommand command, string[] parent)
    {
        string[] path = [.. parent, command.Name];
        yield return (path, command);
        foreach (var sub in command.SubCommands.SelectMany(s => Commands(s, path)))
        {
            yield return sub;
        }
    }
}
