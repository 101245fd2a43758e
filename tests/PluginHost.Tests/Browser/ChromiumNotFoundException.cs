namespace PluginHost.Tests.Browser;

/// <summary>No Chromium to drive: the message says how to install one. Thrown in a test's set-up, it fails the test.</summary>
internal sealed class ChromiumNotFoundException(string message) : Exception(message);
