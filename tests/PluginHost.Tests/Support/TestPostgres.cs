using Testcontainers.PostgreSql;

namespace PluginHost.Tests;

/// <summary>
/// The PostgreSQL server of the test run: <c>PLUGINHOST_TEST_PG</c> (a connection string) when set — scripts/test
/// sets it to a private cluster — else a Testcontainers container; with neither, every database test fails
/// with a message saying how to provide one.
/// </summary>
[SetUpFixture]
public sealed class TestPostgres
{
    /// <summary>The one documented variable.</summary>
    public const string Variable = "PLUGINHOST_TEST_PG";

    private static PostgreSqlContainer? _container;
    private static string? _connectionString;
    private static Exception? _unavailable;

    /// <summary>Connection string of the server (any database).</summary>
    public static string ConnectionString =>
        _connectionString ?? throw new InvalidOperationException(
            $"No PostgreSQL server for the tests. Set {Variable} to a connection string (scripts/test starts a private cluster and sets it), " +
            $"or run a Docker engine for Testcontainers. Testcontainers said: {_unavailable?.Message}", _unavailable);

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _connectionString = configured;
            return;
        }

        try
        {
            _container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            await _container.StartAsync();
            _connectionString = _container.GetConnectionString();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _unavailable = e;
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }
}
