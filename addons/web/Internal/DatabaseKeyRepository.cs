using System.Xml.Linq;
using LinqToDB;
using Microsoft.AspNetCore.DataProtection.Repositories;
using PluginHost.Sdk;

namespace PluginHost.Addons.Web.Internal;

/// <summary>Stores ASP.NET Core data-protection keys (which sign session cookies) in <c>web_data_protection_key</c>.</summary>
internal sealed class DatabaseKeyRepository(Database database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var data = database.CreateDataContext();
        return data.GetTable<DataProtectionKeyRow>().OrderBy(k => k.Id).Select(k => k.Xml).AsEnumerable().Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var data = database.CreateDataContext();
        data.Insert(new DataProtectionKeyRow { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}
