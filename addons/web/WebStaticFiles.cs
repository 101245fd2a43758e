namespace PluginHost.Addons.Web;

/// <summary>
/// An addon's folder of static files (scripts, styles, images), served at <c>/{Addon}/static/</c> as in Odoo, to anyone
/// (keep no secret there). Pages may load scripts only from this server: the content security policy allows no other.
/// </summary>
/// <param name="Addon">The addon's name, the first segment of the URL.</param>
/// <param name="Directory">The folder, absolute (usually <c>Path.Combine(context.Directory, "static")</c>).</param>
public sealed record WebStaticFiles(string Addon, string Directory);
