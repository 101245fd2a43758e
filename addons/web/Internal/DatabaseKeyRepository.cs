using System.Data;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using PluginHost.Sdk;

namespace PluginHost.Addons.Web.Internal;

/// <summary>Stores ASP.NET Core data-protection keys (which sign session cookies) in <c>web_data_protection_key</c>.</summary>
internal sealed class DatabaseKeyRepository(Database database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.DataSource.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT xml FROM web_data_protection_key ORDER BY id";
        using var reader = command.ExecuteReader();
        var keys = new List<XElement>();
        while (reader.Read())
        {
            keys.Add(XElement.Parse(reader.GetString("xml")));
        }

        return keys;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = database.DataSource.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO web_data_protection_key (friendly_name, xml) VALUES ($1, $2)";
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = friendlyName });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        command.ExecuteNonQuery();
    }
}
