using PluginHost.Sdk;

namespace PluginHost.Host.Cli;

/// <summary>A top-level command of <c>host</c> and the addon whose entry point declares it.</summary>
/// <param name="Addon">The technical name of the addon, which must be installed for the command to run.</param>
/// <param name="Command">The declaration, with its sub-commands.</param>
public sealed record DeclaredCommand(string Addon, AddonCommand Command);
