namespace PluginHost.Sdk;

/// <summary>A registered model: its name, table, and the most derived class implementing it.</summary>
/// <param name="Name">Dotted model name.</param>
/// <param name="Table">Table holding its records.</param>
/// <param name="Type">The class instantiated for its recordsets.</param>
public sealed record ModelInfo(string Name, string Table, Type Type);
