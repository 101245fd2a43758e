namespace PluginHost.Addons.QueueJob.Testing;

/// <summary>A <see cref="JobsTrap"/> assertion failed; the message lists the jobs actually trapped.</summary>
public sealed class JobsTrapAssertionException(string message) : Exception(message);
