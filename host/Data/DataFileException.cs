namespace PluginHost.Host.Data;

/// <summary>A data file that cannot be loaded: names the file, the record and the field, and what was expected.</summary>
public sealed class DataFileException(string location, string message, Exception? inner = null)
    : Exception($"{location}: {message}", inner);
