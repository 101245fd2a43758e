namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>A stored job no longer fits its method (renamed, removed, or parameters changed); the job fails with this message.</summary>
internal sealed class JobBindingException(string message, Exception? inner = null) : Exception(message, inner);
