namespace PluginHost.Tests.Browser;

/// <summary>
/// Finds the Chromium the browser tests drive: Debian's package, not a browser Playwright downloads. Where none is
/// found the tests fail, saying how to install it; they never skip.
/// </summary>
internal static class ChromiumExecutable
{
    /// <summary>The environment variable naming a Chromium binary to use instead of the one on <c>PATH</c>.</summary>
    public const string Variable = "PLUGINHOST_CHROMIUM";

    private static readonly string[] Names = ["chromium", "chromium-browser"];

    /// <summary>Chromium's path, from <see cref="Variable"/> or else the <c>PATH</c> of this process.</summary>
    public static string Require() => Locate(Environment.GetEnvironmentVariable(Variable), Environment.GetEnvironmentVariable("PATH"));

    /// <summary>
    /// <paramref name="configured"/> when given (it must exist), else the first <c>chromium</c> or <c>chromium-browser</c>
    /// in the folders of <paramref name="searchPath"/>; a <see cref="ChromiumNotFoundException"/> saying how to install it otherwise.
    /// </summary>
    public static string Locate(string? configured, string? searchPath)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new ChromiumNotFoundException($"{Variable}={configured}: no such file; point it at a Chromium binary, or unset it to use `chromium` from PATH.");
        }

        var folders = (searchPath ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return folders.SelectMany(folder => Names.Select(name => Path.Combine(folder, name))).FirstOrDefault(File.Exists)
            ?? throw new ChromiumNotFoundException(
                "The browser tests drive Debian's Chromium, and no `chromium` is on PATH: install it with `sudo apt-get install -y chromium` " +
                $"(scripts/test does it when run as root), or set {Variable} to a Chromium binary. Playwright's own browser download is not used.");
    }
}
