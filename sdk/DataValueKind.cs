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
