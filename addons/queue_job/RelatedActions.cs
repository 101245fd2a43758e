using System.Text.Json;
using LinqToDB;
using LinqToDB.Async;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob;

/// <summary>
/// The related-action registry: every <see cref="RelatedAction"/> registered by any addon, and the resolution of
/// a job's action from its function's <c>related_action</c> (<c>{enable, func_name, kwargs}</c>, as upstream).
/// </summary>
public sealed class RelatedActions(IEnumerable<RelatedAction> actions)
{
    private readonly IReadOnlyDictionary<string, RelatedAction> _byName = actions.GroupBy(a => a.Name).ToDictionary(g => g.Key, g => g.Last());

    /// <summary>The registered action names.</summary>
    public IEnumerable<string> Names => _byName.Keys.Order();

    /// <summary>
    /// The job functions of <paramref name="env"/>'s database whose enabled related action names an action no loaded
    /// addon registers (their jobs' related action answers 404), with that name.
    /// </summary>
    internal async Task<IReadOnlyList<(string Function, string Action)>> UnregisteredAsync(Env env)
    {
        var functions = await env.Query<QueueJobFunctionRow>()
            .Where(f => f.RelatedAction != "{}")
            .OrderBy(f => f.Name)
            .Select(f => new { f.Name, f.RelatedAction })
            .ToListAsync(env.CancellationToken);
        return functions
            .Select(f => (f.Name, Config: RelatedActionConfig.Parse(f.RelatedAction)))
            .Where(f => f.Config.Enable && !_byName.ContainsKey(f.Config.FuncName))
            .Select(f => (f.Name, f.Config.FuncName))
            .ToList();
    }

    /// <summary>The URL the job's related action opens, or null when it has none or it is disabled.</summary>
    /// <exception cref="KeyNotFoundException">
    /// The job does not exist, its function names an unregistered action, or its records' model is not loaded.
    /// </exception>
    public async Task<string?> OpenAsync(Env env, string jobUuid) => (await OpenActionAsync(env, jobUuid)).Url;

    /// <summary>The name of the job's related action and the URL it opens; both null when it is disabled.</summary>
    /// <exception cref="KeyNotFoundException">As <see cref="OpenAsync"/>.</exception>
    internal async Task<(string? Action, string? Url)> OpenActionAsync(Env env, string jobUuid)
    {
        var job = await (
                from j in env.Query<QueueJobRow>()
                from f in env.Query<QueueJobFunctionRow>().LeftJoin(f => f.Id == j.JobFunctionId)
                where j.Uuid == jobUuid
                select new { j.Records, f.RelatedAction })
            .FirstOrDefaultAsync(env.CancellationToken)
            ?? throw new KeyNotFoundException($"No job {jobUuid}.");
        var records = job.Records;
        var config = RelatedActionConfig.Parse(job.RelatedAction ?? "{}");

        if (!config.Enable)
        {
            return (null, null);
        }

        var action = _byName.TryGetValue(config.FuncName, out var found)
            ? found
            : throw new KeyNotFoundException($"Job {jobUuid}: no related action named '{config.FuncName}'. Registered: {string.Join(", ", Names)}.");
        using var document = JsonDocument.Parse(records);
        Model bound;
        try
        {
            bound = (Model)JobArguments.Deserialize(document.RootElement, typeof(Model), env)!;
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException)
        {
            throw new KeyNotFoundException($"Job {jobUuid}: its records cannot be opened: {e.Message}", e);
        }

        return (action.Name, await action.Open(new RelatedActionContext(env, jobUuid, bound, config.Kwargs)));
    }
}
