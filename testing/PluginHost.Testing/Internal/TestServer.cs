using Testcontainers.PostgreSql;

namespace PluginHost.Testing.Internal;

/// <summary>
/// The PostgreSQL server test databases are made on: the one given in the options, else <c>PLUGINHOST_TEST_PG</c> (a
/// connection string), else one Testcontainers container for the whole test process (removed by Testcontainers'
/// reaper when the process ends), else an error saying what to set.
/// </summary>
internal static class TestServer
{
    private static readonly Lazy<Task<string>> Container = new(StartContainerAsync);

    /// <summary>The connection string of the server (its database is not used).</summary>
    public static Task<string> ConnectionStringAsync(string? given)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return Task.FromResult(given);
        }

        var configured = Environment.GetEnvironmentVariable(AddonTestHostOptions.ServerVariable);
        return string.IsNullOrWhiteSpace(configured) ? Container.Value : Task.FromResult(configured);
    }

    private static async Task<string> StartContainerAsync()
    {
        try
        {
            var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            await container.StartAsync();
            return container.GetConnectionString();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                $"No PostgreSQL server for the test databases. Set {AddonTestHostOptions.ServerVariable} to a connection string " +
                $"(for example \"Host=localhost;Port=5432;Username=postgres;Password=secret\"), or run a Docker engine for " +
                $"Testcontainers. Testcontainers said: {e.Message}", e);
        }
    }
}
