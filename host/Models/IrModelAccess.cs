using PluginHost.Sdk;

namespace PluginHost.Host.Models;

/// <summary>
/// Model read access (<c>ir.model.access</c>), declared in data files as in Odoo: <c>model</c> is the model's name
/// (<c>queue.job</c>), <c>group_id</c> a group (by <c>ref</c>) or none for every user. A model no line names is
/// readable by <c>base.group_system</c> only.
/// </summary>
[Model("ir.model.access")]
internal sealed class IrModelAccess : Model<IrModelAccessRow>;
