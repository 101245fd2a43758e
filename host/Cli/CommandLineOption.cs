namespace PluginHost.Host.Cli;

/// <summary>One command-line flag and the configuration key (<c>options:db_name</c>) it sets.</summary>
/// <param name="Long">The long form, <c>--database</c>.</param>
/// <param name="Short">The short form, <c>-d</c>, if any.</param>
/// <param name="Key">The <c>[options]</c> key it overrides; null for <c>--config</c> and <c>--help</c>.</param>
/// <param name="Value">Placeholder of the value in help text; null for a switch.</param>
/// <param name="Help">One line of help.</param>
public sealed record CommandLineOption(string Long, string? Short, string? Key, string? Value, string Help);
