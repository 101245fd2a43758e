using System.Text.Json;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>The declaration of <c>host queue</c>: its sub-commands and their options, known to the host before any connection.</summary>
internal static partial class QueueCommand
{
    /// <summary><c>host queue</c> and its sub-commands, as <see cref="QueueJobAddon.Commands"/> declares it.</summary>
    public static AddonCommand Declaration { get; } = new("queue", "list, stats, requeue, cancel, done, enqueue jobs; list channels, functions")
    {
        SubCommands =
        [
            new("list", "the newest jobs, optionally of one state or channel")
            {
                Options = [StateOption(), ChannelOption("only the jobs of this channel"), new("--limit", "how many jobs at most (default: 50)") { ValueName = "N", Kind = OptionValueKind.Integer, Minimum = 1 }],
                Run = AddonCommand.InTransaction(ListAsync),
            },
            new("stats", "per channel: pending, running, failed, done in the last hour") { Run = AddonCommand.InTransaction((_, env, output) => StatsAsync(env, output)) },
            new("channels", "channel records: removal interval, the addons declaring each") { Run = AddonCommand.InTransaction((_, env, output) => ChannelsAsync(env, output)) },
            new("functions", "job functions: channel, retry pattern, related action, timeout, addons") { Run = AddonCommand.InTransaction((_, env, output) => FunctionsAsync(env, output)) },
            Act("requeue", "set jobs back to pending, to run again"),
            Act("cancel", "cancel jobs that have not run"),
            Act("done", "mark jobs done without running them"),
            new("enqueue", "store a job calling a model method on records")
            {
                Options =
                [
                    new("--model", "the model whose method the job calls, demo.order") { ValueName = "MODEL", Required = true },
                    new("--method", "the method, ConfirmAsync") { ValueName = "METHOD", Required = true },
                    new("--ids", "comma-separated ids of the records the method runs on (default: none)") { ValueName = "IDS", Kind = OptionValueKind.IntegerList },
                    new("--args", "the method's arguments as a JSON array, '[\"note\", 3]' (default: [])") { ValueName = "JSON", Check = JsonArrayExpected },
                    ChannelOption("the channel to run the job in (default: the job function's)"),
                    new("--priority", $"lower runs first (default: {DelayOptions.DefaultPriority})") { ValueName = "N", Kind = OptionValueKind.Integer },
                    new("--description", "the job's description (default: the method's)") { ValueName = "TEXT" },
                    new("--identity-key", "no second job while one with this key waits: a key, or 'exact' (same model, method, ids and arguments)") { ValueName = "KEY" },
                    new("--eta", "not before this moment: ISO 8601 with its offset (2026-12-01T09:30:00+01:00) or +SECONDS") { ValueName = "WHEN", Check = EtaText.Check },
                    new("--max-retries", $"how many tries at most; 0: no limit (default: {DelayOptions.DefaultMaxRetries})") { ValueName = "N", Kind = OptionValueKind.Integer, Minimum = 0 },
                ],
                Run = AddonCommand.InTransaction(EnqueueAsync),
            },
        ],
    };

    /// <summary><c>requeue</c>, <c>cancel</c> or <c>done</c>: on the jobs named by uuid, or on every job of a state.</summary>
    private static AddonCommand Act(string verb, string summary) => new(verb, $"{summary}: the jobs named, or every job of --state")
    {
        Arguments = [new AddonCommandArgument("UUID", "the uuid of a job") { Many = true }],
        Options = [StateOption()],
        Check = command => command.Words("UUID").Count == 0 && command.Text("--state") is null ? "give job uuids or --state" : null,
        Run = AddonCommand.InTransaction((command, env, output) => ActAsync(env, verb, command, output)),
    };

    private static AddonCommandOption StateOption() => new("--state", "only the jobs in this state") { ValueName = "STATE", AllowedValues = JobState.All };

    private static AddonCommandOption ChannelOption(string help) => new("--channel", help) { ValueName = "CHANNEL" };

    /// <summary>The <c>--args</c> check: a JSON array, else what was expected with an example.</summary>
    private static string? JsonArrayExpected(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Array ? null : $"expected a JSON array such as '[\"note\", 3]', got {text}";
        }
        catch (JsonException e)
        {
            return $"{text} is not JSON ({e.Message}); expected a JSON array such as '[\"note\", 3]'";
        }
    }
}
