namespace PluginHost.Sdk;

/// <summary>One field of a data record.</summary>
/// <param name="Name">The field (column) name.</param>
/// <param name="Kind">How <paramref name="Value"/> is to be read.</param>
/// <param name="Value">Literal value, external id or expression.</param>
public sealed record DataField(string Name, DataValueKind Kind, object? Value);
