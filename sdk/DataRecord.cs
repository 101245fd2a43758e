namespace PluginHost.Sdk;

/// <summary>
/// One record of a data file, or one an addon makes of another addon's manifest (<see cref="Addon.RecordsDeclaredBy"/>),
/// with its external id and where it was declared.
/// </summary>
/// <param name="Id">External id, local to the addon (<c>channel_demo</c>) or qualified (<c>other.channel_demo</c>).</param>
/// <param name="Model">Dotted model name.</param>
/// <param name="NoUpdate">When true an update leaves an existing record as it is.</param>
/// <param name="Fields">Field values in file order.</param>
/// <param name="Location">File and line (or record index) for error messages.</param>
public sealed record DataRecord(string Id, string Model, bool NoUpdate, IReadOnlyList<DataField> Fields, string Location);
