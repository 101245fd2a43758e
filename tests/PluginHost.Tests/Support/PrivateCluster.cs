using System.Diagnostics;

namespace PluginHost.Tests.Support;

/// <summary>
/// A PostgreSQL 15 cluster of one test's own, started with <c>scripts/pg-cluster</c> in a temporary folder, for
/// tests that stop or restart the server. Needs the binaries in <c>/usr/lib/postgresql/15/bin</c> (or <c>PG_BIN</c>);
/// without them the test is reported as skipped, never as passed.
/// </summary>
internal sealed class PrivateCluster : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pluginhost-test-pg-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly int _port = TestDatabase.FreePort();

    private PrivateCluster()
    {
    }

    /// <summary>Connection string of the cluster (any database).</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres";

    /// <summary>Creates and starts the cluster.</summary>
    public static async Task<PrivateCluster> StartAsync()
    {
        var binaries = Environment.GetEnvironmentVariable("PG_BIN") ?? "/usr/lib/postgresql/15/bin";
        if (!File.Exists(Path.Combine(binaries, "initdb")))
        {
            Assert.Ignore($"This test runs its own PostgreSQL cluster and needs initdb and pg_ctl in {binaries}.");
        }

        var cluster = new PrivateCluster();
        await cluster.RunAsync("start");
        return cluster;
    }

    /// <summary>Stops the server (fast mode: sessions are cut, open transactions rolled back) and starts it again on the same port.</summary>
    public async Task RestartAsync()
    {
        await RunAsync("stop");
        await RunAsync("start");
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("stop");
        Directory.Delete(_folder, recursive: true);
    }

    private async Task RunAsync(string verb)
    {
        var start = new ProcessStartInfo(Path.Combine(RepoPaths.Root, "scripts", "pg-cluster"), verb)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PLUGINHOST_PG_DIR"] = _folder;
        start.Environment["PLUGINHOST_PG_PORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var (output, errors) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync();
        // The script moves to the next port when the asked one is taken; a restart must keep the port.
        if (process.ExitCode != 0 || (verb == "start" && !(await output).Contains($"PG_PORT={_port} ", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"scripts/pg-cluster {verb} exited with {process.ExitCode}: {await output}{await errors}");
        }
    }
}
