using System.Linq.Expressions;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Testing;

/// <summary>
/// Test helper for addon authors, as upstream's <c>trap_jobs()</c>: while a trap is active in the current async flow,
/// delayed calls are recorded instead of stored, so a test can assert what was enqueued and then perform the jobs
/// inline, in the test's transaction. Failed assertions throw <see cref="JobsTrapAssertionException"/>, which any
/// test framework reports as a failure. See <c>docs/testing-jobs.md</c>.
/// </summary>
/// <example>
/// <code>
/// using var trap = JobsTrap.Start();
/// await order.ConfirmLaterAsync();
/// trap.AssertJobsCount(1);
/// trap.AssertEnqueuedJob(order, o =&gt; o.ConfirmAsync("confirmed by a job"), new DelayOptions { Priority = 5 });
/// await trap.PerformEnqueuedJobsAsync();
/// </code>
/// </example>
public sealed class JobsTrap : IDisposable
{
    private static readonly AsyncLocal<JobsTrap?> Active = new();

    private readonly JobsTrap? _previous;
    private readonly List<TrappedJob> _calls = [];
    private readonly List<TrappedJob> _enqueued = [];

    private JobsTrap(JobsTrap? previous) => _previous = previous;

    /// <summary>Every delayed call seen, including those an identity key kept out of <see cref="EnqueuedJobs"/>.</summary>
    public IReadOnlyList<TrappedJob> Calls => _calls;

    /// <summary>The jobs that would have been stored and are not performed yet.</summary>
    public IReadOnlyList<TrappedJob> EnqueuedJobs => _enqueued;

    internal static JobsTrap? Current => Active.Value;

    /// <summary>Starts trapping in the current async flow until disposed.</summary>
    public static JobsTrap Start() => Active.Value = new JobsTrap(Active.Value);

    /// <summary>How many jobs are trapped, or only those calling <paramref name="method"/> on exactly <paramref name="records"/>.</summary>
    public int JobsCount(Model? records = null, string? method = null) =>
        _enqueued.Count(j => (records is null || SameRecords(j.Records, records)) && (method is null || j.Method.Name == method));

    /// <summary>Asserts the number of trapped jobs, optionally only those calling <paramref name="method"/> on <paramref name="records"/>.</summary>
    public void AssertJobsCount(int expected, Model? records = null, string? method = null)
    {
        var actual = JobsCount(records, method);
        if (actual != expected)
        {
            throw new JobsTrapAssertionException($"Expected {expected} trapped job(s), got {actual}.{Environment.NewLine}{Describe(_enqueued, null)}");
        }
    }

    /// <summary>Asserts that this exact call was delayed: same records, method and arguments, and the given properties (others are not checked).</summary>
    public void AssertEnqueuedJob<T>(T records, Expression<Func<T, Task>> call, DelayOptions? properties = null) where T : Model =>
        AssertEnqueued(records, call, properties);

    /// <summary>Asserts that this exact synchronous call was delayed.</summary>
    public void AssertEnqueuedJob<T>(T records, Expression<Action<T>> call, DelayOptions? properties = null) where T : Model =>
        AssertEnqueued(records, call, properties);

    /// <summary>
    /// Runs the trapped jobs in the test's transaction: single jobs by priority, graphs each in dependency order, each
    /// with its <c>job_uuid</c> in the context as a job runs (so an auto-delayed method runs its body). The trap is
    /// emptied first, so jobs these jobs delay are trapped again.
    /// </summary>
    public async Task PerformEnqueuedJobsAsync()
    {
        var jobs = _enqueued.ToList();
        _enqueued.Clear();
        foreach (var graph in jobs.GroupBy(j => j.GraphUuid ?? "").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            foreach (var job in graph.Key.Length == 0 ? graph.OrderBy(j => j.Properties.Priority ?? DelayOptions.DefaultPriority) : DependencyOrder(graph.ToList()))
            {
                // With job_uuid in the context, as a job runs: an auto-delayed method runs its body.
                var records = job.Records.WithEnv(job.Records.Env.WithContext(AutoDelay.JobUuidKey, job.Uuid));
                await JobInvoker.CallAsync(records, job.Method, job.Arguments.ToArray());
            }
        }
    }

    /// <summary>Stops trapping.</summary>
    public void Dispose() => Active.Value = _previous;

    internal IReadOnlyList<DelayedJob> Add(IReadOnlyList<NewJob> jobs)
    {
        foreach (var job in jobs)
        {
            var trapped = new TrappedJob(job.Records, job.Call.Method, job.Call.Arguments, job.Options, job.Uuid, job.GraphUuid, job.DependsOn);
            _calls.Add(trapped);
            var key = job.Options.IdentityKey?.Resolve(job.Records, job.Call);
            if (key is null || _enqueued.All(e => e.Properties.IdentityKey?.Resolve(e.Records, new JobCall(e.Method, e.Arguments)) != key))
            {
                _enqueued.Add(trapped);
            }
        }

        return jobs.Select(j => new DelayedJob(0, j.Uuid, j.DependsOn.Count > 0 ? JobState.WaitDependencies : JobState.Pending)).ToList();
    }

    private void AssertEnqueued(Model records, LambdaExpression call, DelayOptions? properties)
    {
        var expected = JobCall.Capture(call, records);
        var given = properties ?? new DelayOptions();
        var wanted = new TrappedJob(records, expected.Method, expected.Arguments, given, "", null, []);
        if (!_calls.Any(c => SameRecords(c.Records, records) && c.Method.Name == expected.Method.Name
                && JobArguments.Serialize(c.Arguments) == JobArguments.Serialize(expected.Arguments) && Matches(c.Properties, properties)))
        {
            throw new JobsTrapAssertionException(
                $"Job {wanted} with properties ({Properties(given, given)}) was not enqueued.{Environment.NewLine}{Describe(_calls, given)}");
        }
    }

    private static bool SameRecords(Model a, Model b) => a.Info.Name == b.Info.Name && a.Ids.SequenceEqual(b.Ids);

    private static bool Matches(DelayOptions actual, DelayOptions? expected) => expected is null
        || ((expected.Priority is null || expected.Priority == actual.Priority)
            && (expected.Eta is null || expected.Eta == actual.Eta)
            && (expected.MaxRetries is null || expected.MaxRetries == actual.MaxRetries)
            && (expected.Description is null || expected.Description == actual.Description)
            && (expected.Channel is null || expected.Channel == actual.Channel)
            && (expected.IdentityKey is null || expected.IdentityKey.ToString() == actual.IdentityKey?.ToString()));

    private static string Describe(IEnumerable<TrappedJob> jobs, DelayOptions? checkedProperties) =>
        "Actual enqueued jobs:" + string.Concat(jobs.Select(j => $"{Environment.NewLine} * {j} with properties ({Properties(j.Properties, checkedProperties)})"));

    /// <summary>The properties of <paramref name="options"/> that <paramref name="shown"/> gives (all when null).</summary>
    private static string Properties(DelayOptions? options, DelayOptions? shown)
    {
        var all = new (string Name, object? Given, object? Value)[]
        {
            ("priority", shown?.Priority, options?.Priority), ("eta", shown?.Eta, options?.Eta), ("max_retries", shown?.MaxRetries, options?.MaxRetries),
            ("description", shown?.Description, options?.Description), ("channel", shown?.Channel, options?.Channel),
            ("identity_key", shown?.IdentityKey, options?.IdentityKey),
        };
        return string.Join(", ", all.Where(p => shown is null || p.Given is not null).Select(p => $"{p.Name}={p.Value?.ToString() ?? "None"}"));
    }

    private static IEnumerable<TrappedJob> DependencyOrder(IReadOnlyList<TrappedJob> graph)
    {
        var done = new HashSet<string>();
        while (done.Count < graph.Count)
        {
            var next = graph.First(j => !done.Contains(j.Uuid) && j.DependsOn.All(done.Contains));
            done.Add(next.Uuid);
            yield return next;
        }
    }
}
