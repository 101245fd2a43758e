using LinqToDB;
using PluginHost.Addons.QueueJob;
using PluginHost.Sdk;

namespace AddonName;

/// <summary>The <c>addon_name.item</c> model: items that a delayed job marks synced.</summary>
[Model("addon_name.item")]
public class AddonNameItem : Model<AddonNameItemRow>
{
    /// <summary>Marks these items synced: the work a job does, in the job's transaction.</summary>
    public Task<int> SyncAsync() =>
        Rows.Set(i => i.State, "synced").Set(i => i.SyncedAt, Sql.CurrentTimestampUtc).UpdateAsync(Env.CancellationToken);

    /// <summary>Delays <see cref="SyncAsync"/>: the job is stored in the caller's transaction and runs once it commits.</summary>
    public Task<DelayedJob> SyncLaterAsync() =>
        this.WithDelay(description: "Sync addon_name items").EnqueueAsync(i => i.SyncAsync());
}
