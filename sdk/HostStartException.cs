namespace PluginHost.Sdk;

/// <summary>
/// A failure while the host starts that its message explains in full, naming the culprit and what to do (a port in
/// use, for example): the host reports it as one line and exits with code 1, without a stack trace. Addons throw it
/// from their services' start.
/// </summary>
public sealed class HostStartException(string message, Exception? inner = null) : Exception(message, inner);
