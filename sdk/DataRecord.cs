namespace PluginHost.Sdk;

/// <summary>How a field of a data record gives its value.</summary>
public enum DataValueKind
{
    /// <summary>The value itself (text in XML; any JSON value in JSON).</summary>
    Literal,

    /// <summary>An external id (<c>module.name</c>, or <c>name</c> in the same addon) resolved to a record id.</summary>
    Ref,

    /// <summary>A Python-style literal (<c>{1: 10, 5: 20}</c>, <c>True</c>, <c>[1, 2]</c>).</summary>
    Eval,
}

/// <summary>One field of a data record.</summary>
/// <param name="Name">The field (column) name.</param>
/// <param name="Kind">How <paramref name="Value"/> is to be read.</param>
/// <param name="Value">Literal value, external id or expression.</param>
public sealed record DataField(string Name, DataValueKind Kind, object? Value);

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
