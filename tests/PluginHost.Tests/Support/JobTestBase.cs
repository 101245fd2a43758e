namespace PluginHost.Tests.Support;

/// <summary>Tests of the job path: each test gets its own <see cref="JobHarness"/> (database, host, executor).</summary>
public abstract class JobTestBase
{
    internal JobHarness Jobs { get; private set; } = null!;

    [SetUp]
    public async Task StartHarnessAsync() => Jobs = await JobHarness.StartAsync();

    [TearDown]
    public async Task StopHarnessAsync() => await Jobs.DisposeAsync();
}
