using System.ComponentModel;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJobDemo;

/// <summary>A demo order (<c>demo.order</c>): confirming it is the work worth delaying.</summary>
[Model("demo.order")]
public class DemoOrder : Model
{
    /// <summary>Confirms the orders with a note and says what it did.</summary>
    [Description("Confirm demo orders")]
    public async Task<string> ConfirmAsync(string note)
    {
        await Env.ExecuteAsync("UPDATE demo_order SET state = 'confirmed', note = $1, confirmed_at = now() WHERE id = ANY($2)", note, Ids.ToArray());
        return $"confirmed {this}";
    }

    /// <summary>Always fails, to show a failed job with its error.</summary>
    public void Fail(string reason) => throw new InvalidOperationException(reason);
}
