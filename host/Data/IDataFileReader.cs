using PluginHost.Sdk;

namespace PluginHost.Host.Data;

/// <summary>Reads one data-file format into records.</summary>
public interface IDataFileReader
{
    /// <summary>The file extension handled (<c>.xml</c>).</summary>
    string Extension { get; }

    /// <summary>The records of the file in order; throws <see cref="DataFileException"/> on malformed input.</summary>
    IReadOnlyList<DataRecord> Read(string path);
}
