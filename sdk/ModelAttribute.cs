namespace PluginHost.Sdk;

/// <summary>
/// Names the model a class implements (<c>[Model("res.partner")]</c>) and its table. A subclass registered
/// by another addon inherits the attribute and so extends the same model, as Odoo's <c>_inherit</c> does.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ModelAttribute(string name) : Attribute
{
    /// <summary>Dotted model name, unique in a registry.</summary>
    public string Name { get; } = name;

    /// <summary>Table holding the records; defaults to the name with dots replaced by underscores.</summary>
    public string? Table { get; init; }
}
