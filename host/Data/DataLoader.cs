using System.Data;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Text.Json;
using Npgsql;
using PluginHost.Host.Addons;
using PluginHost.Sdk;

namespace PluginHost.Host.Data;

/// <summary>
/// Loads an addon's data files in manifest order into the models, keeping one external id per record in
/// <c>ir_model_data</c>. A record an external id already points to is updated (unless noupdate, on update);
/// a record another addon already declared is shared when the model says so (<see cref="Model.FindMergeTargetAsync"/>).
/// </summary>
internal sealed class DataLoader(Env env, DiscoveredAddon addon, bool updating)
{
    private static readonly IDataFileReader[] Readers = [new XmlDataFileReader(), new JsonDataFileReader()];

    private const string FindExternalId = """
        SELECT model, res_id, noupdate
        FROM ir_model_data
        WHERE module = $1 AND name = $2
        """;

    private const string InsertExternalId = """
        INSERT INTO ir_model_data (module, name, model, res_id, noupdate)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (module, name) DO UPDATE SET res_id = EXCLUDED.res_id, model = EXCLUDED.model, noupdate = EXCLUDED.noupdate
        """;

    /// <summary>External ids of this addon met while loading, local names.</summary>
    public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);

    /// <summary>Where each external id (module.name) was declared in this load: a second declaration is an error naming both.</summary>
    private readonly Dictionary<string, string> _declared = new(StringComparer.Ordinal);

    /// <summary>
    /// Loads the records other addons made of this one's manifest (<see cref="Addon.RecordsDeclaredBy"/>), then every
    /// data file of the addon; with <paramref name="only"/>, just the records of those external ids (<c>module.name</c>).
    /// </summary>
    public async Task LoadAsync(IEnumerable<DataRecord> declared, IReadOnlySet<string>? only = null)
    {
        foreach (var record in declared)
        {
            await ApplyAsync(record, only);
        }

        foreach (var file in addon.Manifest.Data)
        {
            var path = Path.Combine(addon.Directory, file);
            var reader = Readers.Single(r => r.Extension == Path.GetExtension(file));
            foreach (var record in reader.Read(path))
            {
                await ApplyAsync(record, only);
            }
        }
    }

    private async Task ApplyAsync(DataRecord record, IReadOnlySet<string>? only)
    {
        var (module, name) = ExternalId.Split(record.Id, addon.Name);
        if (only is not null && !only.Contains($"{module}.{name}"))
        {
            return;
        }

        if (!_declared.TryAdd($"{module}.{name}", record.Location))
        {
            throw new DataFileException(record.Location,
                $"external id '{module}.{name}' is declared again; it was declared at {_declared[$"{module}.{name}"]}. Give each record its own id.");
        }

        if (!env.Registry.Contains(record.Model))
        {
            throw new DataFileException(record.Location, $"unknown model '{record.Model}'. Is the addon defining it in 'depends'?");
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var field in record.Fields)
        {
            values[field.Name] = await ResolveAsync(record, field);
        }

        if (module == addon.Name)
        {
            Seen.Add(name);
        }

        try
        {
            await StoreAsync(record, module, name, values);
        }
        catch (Exception e) when (e is ArgumentException or PostgresException or FormatException)
        {
            throw new DataFileException(record.Location, e.Message, e);
        }
    }

    private async Task StoreAsync(DataRecord record, string module, string name, IReadOnlyDictionary<string, object?> values)
    {
        var model = env[record.Model];
        await using (var command = env.CreateCommand(FindExternalId, module, name))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            if (await reader.ReadAsync())
            {
                var (existingModel, resId, noUpdate) = (reader.GetString("model"), reader.GetInt64("res_id"), reader.GetBoolean("noupdate"));
                await reader.DisposeAsync();
                if (existingModel != record.Model)
                {
                    throw new DataFileException(record.Location, $"external id '{module}.{name}' already names a '{existingModel}' record, not '{record.Model}'.");
                }

                await env.ExecuteAsync("UPDATE ir_model_data SET noupdate = $3 WHERE module = $1 AND name = $2", module, name, record.NoUpdate);
                if (updating && noUpdate)
                {
                    return;
                }

                if ((await model.SearchAsync("id = $1", resId)).Ids.Count == 1)
                {
                    await model.BrowseIds([resId]).WriteAsync(values);
                    return;
                }
            }
        }

        var target = await model.FindMergeTargetAsync(values);
        if (target is { } shared)
        {
            await model.BrowseIds([shared]).WriteAsync(values);
        }

        var id = target ?? await model.CreateAsync(values);
        await env.ExecuteAsync(InsertExternalId, module, name, record.Model, id, record.NoUpdate);
    }

    private async Task<object?> ResolveAsync(DataRecord record, DataField field)
    {
        switch (field.Kind)
        {
            case DataValueKind.Ref:
                return await ResolveRefAsync(record, field, (string)field.Value!);
            case DataValueKind.Eval:
                try
                {
                    var text = (string)field.Value!;
                    foreach (var reference in RefCall.Matches(text).Reverse())
                    {
                        var id = await ResolveRefAsync(record, field, reference.Groups["id"].Value);
                        text = string.Concat(text.AsSpan(0, reference.Index), id.ToString(CultureInfo.InvariantCulture), text.AsSpan(reference.Index + reference.Length));
                    }

                    return Storable(LiteralParser.Parse(text));
                }
                catch (FormatException e)
                {
                    throw new DataFileException(record.Location, $"field '{field.Name}': eval {e.Message}.");
                }

            default:
                return field.Value;
        }
    }

    /// <summary><c>ref('module.name')</c> in an <c>eval</c>, as Odoo writes it: replaced by the record's id.</summary>
    private static readonly Regex RefCall = new(@"\bref\(\s*(?<q>['""])(?<id>[^'""]+)\k<q>\s*\)", RegexOptions.CultureInvariant);

    private async Task<long> ResolveRefAsync(DataRecord record, DataField field, string externalId)
    {
        var (module, name) = ExternalId.Split(externalId, addon.Name);
        return await env.ScalarAsync<long?>("SELECT res_id FROM ir_model_data WHERE module = $1 AND name = $2", module, name)
            ?? throw new DataFileException(record.Location, $"field '{field.Name}': external id '{module}.{name}' does not exist (declared later, or in an addon missing from 'depends'?).");
    }

    private static object? Storable(object? value) => value is List<object?> or Dictionary<string, object?> ? JsonSerializer.Serialize(value) : value;
}
