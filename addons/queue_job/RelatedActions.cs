using System.Text.Json;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob;

/// <summary>
/// The related-action registry: every <see cref="RelatedAction"/> registered by any addon, and the resolution of
/// a job's action from its function's <c>related_action</c> (<c>{enable, func_name, kwargs}</c>, as upstream).
/// </summary>
public sealed class RelatedActions(IEnumerable<RelatedAction> actions)
{
    private const string JobAction = """
        SELECT j.records::text, f.related_action::text
        FROM queue_job j
        LEFT JOIN queue_job_function f ON f.id = j.job_function_id
        WHERE j.uuid = $1
        """;

    private readonly IReadOnlyDictionary<string, RelatedAction> _byName = actions.GroupBy(a => a.Name).ToDictionary(g => g.Key, g => g.Last());

    /// <summary>The registered action names.</summary>
    public IEnumerable<string> Names => _byName.Keys.Order();

    /// <summary>
    /// The job functions of <paramref name="env"/>'s database whose enabled related action names an action no loaded
    /// addon registers (their jobs' related action answers 404), with that name.
    /// </summary>
    public async Task<IReadOnlyList<(string Function, string Action)>> UnregisteredAsync(Env env)
    {
        var unregistered = new List<(string, string)>();
        await using var command = env.CreateCommand("SELECT name, related_action::text FROM queue_job_function WHERE related_action <> '{}'::jsonb ORDER BY name");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var config = RelatedActionConfig.Parse(reader.GetString(1));
            if (config.Enable && !_byName.ContainsKey(config.FuncName))
            {
                unregistered.Add((reader.GetString(0), config.FuncName));
            }
        }

        return unregistered;
    }

    /// <summary>The URL the job's related action opens, or null when it has none or it is disabled.</summary>
    /// <exception cref="KeyNotFoundException">
    /// The job does not exist, its function names an unregistered action, or its records' model is not loaded.
    /// </exception>
    public async Task<string?> OpenAsync(Env env, string jobUuid)
    {
        string records;
        RelatedActionConfig config;
        await using (var command = env.CreateCommand(JobAction, jobUuid))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            if (!await reader.ReadAsync())
            {
                throw new KeyNotFoundException($"No job {jobUuid}.");
            }

            records = reader.GetString(0);
            config = RelatedActionConfig.Parse(reader.IsDBNull(1) ? "{}" : reader.GetString(1));
        }

        if (!config.Enable)
        {
            return null;
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

        return await action.Open(new RelatedActionContext(env, jobUuid, bound, config.Kwargs));
    }
}
