namespace PluginHost.Tests.Support;

/// <summary>Tests that boot hosts themselves: each test gets a database of its own, dropped afterwards.</summary>
public abstract class DatabaseTestBase
{
    internal TestDatabase Database { get; private set; } = null!;

    [SetUp]
    public void CreateDatabase() => Database = new TestDatabase();

    [TearDown]
    public async Task DropDatabaseAsync() => await Database.DisposeAsync();
}
