using PluginHost.Host.Cli;

namespace PluginHost.Tests.Cli;

public sealed class CommandLineTests
{
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
        Assert.That(line.Help, Is.False);
    }

    [Test]
    public void A_command_takes_the_words_host_does_not_know_and_host_keeps_its_flags()
    {
        var line = CommandLine.Parse(["queue", "list", "--state", "failed", "-d", "shop", "--limit=5"]);

        Assert.That(line.Command, Is.EqualTo("queue"));
        Assert.That(line.CommandArgs, Is.EqualTo(new[] { "list", "--state", "failed", "--limit=5" }));
        Assert.That(line.Overrides["options:db_name"], Is.EqualTo("shop"));
    }

    [Test]
    public void An_unknown_flag_is_named()
    {
        Assert.That(() => CommandLine.Parse(["--databse", "x"]), Throws.ArgumentException.With.Message.Contains("'--databse'").And.Message.Contains("host --help"));
    }

    [Test]
    public void A_flag_without_its_value_is_named()
    {
        Assert.That(() => CommandLine.Parse(["--db-port"]), Throws.ArgumentException.With.Message.Contains("--db-port needs a value"));
    }

    [Test]
    public void A_switch_given_a_value_is_an_error()
    {
        Assert.That(() => CommandLine.Parse(["--stop-after-init=yes"]), Throws.ArgumentException.With.Message.Contains("takes no value"));
    }

    [Test]
    public void Help_lists_every_flag()
    {
        var help = CommandLine.HelpText();

        Assert.That(CommandLine.Options, Has.Count.GreaterThanOrEqualTo(17));
        foreach (var option in CommandLine.Options)
        {
            Assert.That(help, Does.Contain(option.Long).And.Contain(option.Help), option.Long);
        }
    }

    [Test]
    public void Help_is_asked_for_with_h()
    {
        Assert.That(CommandLine.Parse(["-h"]).Help, Is.True);
    }
}
