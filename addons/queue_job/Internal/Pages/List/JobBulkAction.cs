using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// An operator's action on selected jobs (requeue, set done, cancel) from the Jobs list: the states it takes (those of
/// <see cref="QueueJob"/>'s method), and its run in one transaction: lock the selected jobs in those states, act on
/// them with the model's method, and count the others as skipped with their reason.
/// </summary>
internal sealed class JobBulkAction
{
    /// <summary>The selected jobs in a state the action takes, locked for the transaction.</summary>
    private const string LockTaken = """
        SELECT id
        FROM queue_job
        WHERE id = ANY($1)
          AND state = ANY($2)
        ORDER BY id
        FOR UPDATE
        """;

    /// <summary>The selected jobs the action leaves, with their state.</summary>
    private const string Left = """
        SELECT id, state
        FROM queue_job
        WHERE id = ANY($1)
          AND NOT id = ANY($2)
        """;

    /// <summary>Requeued jobs still finished: a waiting job holds their identity key (see QueueJob.RequeueAsync).</summary>
    private const string StillFinished = """
        SELECT id
        FROM queue_job
        WHERE id = ANY($1)
          AND state IN ('done', 'cancelled', 'failed')
        """;

    private readonly Func<QueueJob, Task> _act;

    private JobBulkAction(string name, string verb, IReadOnlyList<string> takes, Func<QueueJob, Task> act) =>
        (Name, Verb, Takes, _act) = (name, verb, takes, act);

    /// <summary>Back to pending, from every state but waiting for parents and running.</summary>
    public static JobBulkAction Requeue { get; } = new("requeue", "requeued",
        [JobState.Pending, JobState.Enqueued, JobState.Done, JobState.Cancelled, JobState.Failed], jobs => jobs.RequeueAsync());

    /// <summary>Done by hand, from every state but running.</summary>
    public static JobBulkAction SetDone { get; } = new("done", "set to done",
        [JobState.WaitDependencies, JobState.Pending, JobState.Enqueued, JobState.Done, JobState.Cancelled, JobState.Failed], jobs => jobs.SetDoneAsync());

    /// <summary>Cancelled, from the states before running and failed.</summary>
    public static JobBulkAction Cancel { get; } = new("cancel", "cancelled",
        [JobState.WaitDependencies, JobState.Pending, JobState.Enqueued, JobState.Failed], jobs => jobs.CancelAsync());

    /// <summary>The value of the <c>action</c> field or JSON member: requeue, done or cancel.</summary>
    public string Name { get; }

    /// <summary>How the result message says it was done: "12 requeued".</summary>
    public string Verb { get; }

    /// <summary>The states it acts on.</summary>
    public IReadOnlyList<string> Takes { get; }

    /// <summary>The action named <paramref name="name"/>, or a <see cref="JobListParameterException"/> naming <c>action</c>.</summary>
    public static JobBulkAction Named(string? name) =>
        new[] { Requeue, SetDone, Cancel }.FirstOrDefault(a => a.Name == name)
            ?? throw new JobListParameterException("action", "requeue, done or cancel", name);

    /// <summary>Acts on the selected jobs it takes, in <paramref name="env"/>'s transaction (the caller commits).</summary>
    public async Task<JobBulkResult> RunAsync(Env env, IReadOnlyList<long> ids)
    {
        var selected = ids.Distinct().ToArray();
        var taken = await IdsAsync(env, LockTaken, selected, Takes.ToArray());
        var skipped = await SkippedAsync(env, selected, taken);
        await _act((QueueJob)env.Model<QueueJob>().BrowseIds(taken));
        var keyHeld = this == Requeue ? await IdsAsync(env, StillFinished, taken) : [];
        skipped.AddRange(keyHeld.Select(id => new JobBulkSkip(id, "identity key held by a waiting job")));
        return new JobBulkResult(this, taken.Length - keyHeld.Length, skipped);
    }

    /// <summary>What <see cref="RunAsync"/> would do now, for the confirmation page; nothing is locked or changed.</summary>
    public async Task<JobBulkResult> PreviewAsync(Env env, IReadOnlyList<long> ids)
    {
        var selected = ids.Distinct().ToArray();
        var skipped = await SkippedAsync(env, selected, []);
        var taken = skipped.RemoveAll(s => Takes.Contains(s.State));
        return new JobBulkResult(this, taken, skipped);
    }

    /// <summary>The selected jobs not in <paramref name="taken"/>: in a state the action leaves, or not found.</summary>
    private static async Task<List<JobBulkSkip>> SkippedAsync(Env env, long[] selected, long[] taken)
    {
        var states = new Dictionary<long, string>();
        await using (var command = env.CreateCommand(Left, selected, taken))
        await using (var reader = await command.ExecuteReaderAsync(env.CancellationToken))
        {
            while (await reader.ReadAsync(env.CancellationToken))
            {
                states[reader.GetInt64(0)] = reader.GetString(1);
            }
        }

        return selected.Except(taken)
            .Select(id => states.TryGetValue(id, out var state) ? new JobBulkSkip(id, JobBulkSkip.For(state), state) : new JobBulkSkip(id, "not found"))
            .ToList();
    }

    private static async Task<long[]> IdsAsync(Env env, string sql, params object[] parameters)
    {
        var ids = new List<long>();
        await using var command = env.CreateCommand(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(env.CancellationToken);
        while (await reader.ReadAsync(env.CancellationToken))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids.ToArray();
    }
}
