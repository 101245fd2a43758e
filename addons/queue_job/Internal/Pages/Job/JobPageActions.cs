using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The actions the job page offers (requeue, cancel, done) and the states each is offered in: upstream's form
/// buttons (requeue a failed job; cancel or set done one not started nor finished), and requeue of a cancelled job,
/// the way back from a cancel. An action in another state is refused, naming the state and the actions it allows.
/// </summary>
internal static class JobPageActions
{
    public const string Requeue = "requeue";
    public const string Cancel = "cancel";
    public const string Done = "done";

    /// <summary>The job's id and state, locked until the action commits, so the state checked is the state acted on.</summary>
    private const string LockJob = """
        SELECT id, state
        FROM queue_job
        WHERE uuid = $1
        FOR UPDATE
        """;

    private static readonly IReadOnlyDictionary<string, string[]> States = new Dictionary<string, string[]>
    {
        [Requeue] = [JobState.Failed, JobState.Cancelled],
        [Cancel] = [JobState.WaitDependencies, JobState.Pending, JobState.Enqueued, JobState.Failed],
        [Done] = [JobState.WaitDependencies, JobState.Pending, JobState.Enqueued, JobState.Failed],
    };

    /// <summary>Every action, in the order the page shows their buttons.</summary>
    public static IReadOnlyList<string> Names { get; } = [Requeue, Cancel, Done];

    /// <summary>The actions offered for a job in <paramref name="state"/>.</summary>
    public static IReadOnlyList<string> AllowedIn(string state) => Names.Where(a => States[a].Contains(state)).ToList();

    /// <summary>Performs <paramref name="action"/> on the job in <paramref name="env"/>'s transaction (the caller commits on success).</summary>
    public static async Task<JobPageActionOutcome> PerformAsync(Env env, string uuid, string action)
    {
        var (id, state) = await LockAsync(env, uuid);
        if (id is null)
        {
            return new JobPageActionOutcome(null, $"No job {uuid}.", NotFound: true);
        }

        if (!States.TryGetValue(action, out var from))
        {
            return Refused(state, $"Unknown action '{action}' (expected {string.Join(", ", Names)})");
        }

        if (!from.Contains(state))
        {
            return Refused(state, $"Cannot {action} a job that is {state}");
        }

        var job = env.Model<QueueJob>().Browse(id.Value);
        if (!await ActAsync(job, action))
        {
            var key = await env.ScalarAsync<string>("SELECT identity_key FROM queue_job WHERE id = $1", id.Value);
            return new JobPageActionOutcome(state, $"Not requeued: another job with its identity key {key} is waiting.");
        }

        return new JobPageActionOutcome(await env.ScalarAsync<string>("SELECT state FROM queue_job WHERE id = $1", id.Value), null);
    }

    /// <summary>What <paramref name="action"/> did, as the flash message says it: "Job requeued".</summary>
    public static string Message(string action) => action switch
    {
        Requeue => "Job requeued",
        Cancel => "Job cancelled",
        Done => "Job set to done",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, $"Expected {string.Join(", ", Names)}."),
    };

    /// <summary>Acts on the job; false when a requeue was skipped because another job holds its identity key.</summary>
    private static async Task<bool> ActAsync(QueueJob job, string action)
    {
        switch (action)
        {
            case Requeue:
                return await job.RequeueAsync() == 1;
            case Cancel:
                await job.CancelAsync();
                return true;
            default:
                await job.SetDoneAsync();
                return true;
        }
    }

    private static string Offered(string state) => AllowedIn(state) is { Count: > 0 } allowed
        ? $"a {state} job allows {string.Join(", ", allowed)}"
        : $"a {state} job allows no action";

    private static JobPageActionOutcome Refused(string state, string reason) => new(state, $"{reason}: {Offered(state)}.");

    private static async Task<(long? Id, string State)> LockAsync(Env env, string uuid)
    {
        await using var command = env.CreateCommand(LockJob, uuid);
        await using var reader = await command.ExecuteReaderAsync(env.CancellationToken);
        return await reader.ReadAsync(env.CancellationToken) ? (reader.GetInt64(0), reader.GetString(1)) : (null, "");
    }
}
