using Npgsql;

namespace PluginHost.Sdk;

/// <summary>Binds the values of <c>$1</c>, <c>$2</c>, … to a command, null as SQL NULL.</summary>
internal static class PositionalParameters
{
    /// <summary>Adds <paramref name="values"/> in order and returns the command.</summary>
    public static NpgsqlCommand Bind(NpgsqlCommand command, object?[] values)
    {
        // C# passes a lone string[] argument as the params array itself (array covariance): it is one parameter.
        if (values.GetType() != typeof(object[]))
        {
            values = [values];
        }

        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }
}
