using PluginHost.Addons.QueueJob;
using PluginHost.Addons.QueueJob.Testing;
using PluginHost.Testing;

namespace MyShop.Tests;

public class ShopOrderJobTests
{
    private AddonTestHost _host = null!;

    // Each test gets a database of its own with my_shop installed, cloned from a template in a few milliseconds.
    [SetUp]
    public async Task StartHostAsync() => _host = await AddonTestHost.StartAsync("my_shop");

    [TearDown]
    public async Task StopHostAsync() => await _host.DisposeAsync();

    [Test]
    public async Task The_delayed_confirmation_confirms_the_order()
    {
        var (order, job) = await CreateOrderAndConfirmLaterAsync();

        var run = await _host.RunJobAsync(job);

        Assert.That(run, JobIs.Done);
        Assert.That(await StateAsync(order), Is.EqualTo("confirmed"));
    }

    [Test]
    public async Task A_confirmation_meeting_a_conflict_is_rolled_back_and_retried()
    {
        var (order, job) = await CreateOrderAndConfirmLaterAsync();
        await ExecuteAsync(ConflictFunction, ConflictTrigger);

        var run = await _host.RunJobAsync(job);

        Assert.That(run, JobIs.Pending.WithRetry(1));
        Assert.That(run.Eta, Is.GreaterThan(DateTimeOffset.UtcNow));
        Assert.That(await StateAsync(order), Is.EqualTo("draft"));

        await ExecuteAsync("DROP TRIGGER shop_order_conflict ON shop_order");
        Assert.That(await _host.RunJobAsync(job), JobIs.Done.WithRetry(2));
    }

    [Test]
    public async Task A_confirmation_that_always_conflicts_fails_after_its_max_retries()
    {
        var (_, job) = await CreateOrderAndConfirmLaterAsync();
        await ExecuteAsync(ConflictFunction, ConflictTrigger);

        var run = await _host.RunJobToEndAsync(job);

        Assert.That(run, JobIs.Failed.WithMessage("Max. retries (5) reached").WithRetry(5));
    }

    [Test]
    public async Task Confirm_later_delays_one_confirmation()
    {
        await using var env = await _host.BeginAsync();
        var order = (ShopOrder)await env.Model<ShopOrder>().CreateAsync(new ShopOrderRow { Name = "SO1" });

        using var trap = JobsTrap.Start();
        await order.ConfirmLaterAsync();

        trap.AssertJobsCount(1);
        trap.AssertEnqueuedJob(order, o => o.ConfirmAsync("confirmed by a job"), new DelayOptions { Priority = 5 });
        await trap.PerformEnqueuedJobsAsync();
        Assert.That((await order.ReadRowsAsync())[0].State, Is.EqualTo("confirmed"));
    }

    /// <summary>A committed order and the job confirming it.</summary>
    private async Task<(ShopOrder Order, DelayedJob Job)> CreateOrderAndConfirmLaterAsync()
    {
        await using var env = await _host.BeginAsync();
        var order = (ShopOrder)await env.Model<ShopOrder>().CreateAsync(new ShopOrderRow { Name = "SO1" });
        var job = await order.ConfirmLaterAsync();
        await env.CommitAsync();
        return (order, job);
    }

    private async Task<string> StateAsync(ShopOrder order)
    {
        await using var env = await _host.BeginAsync();
        return (await ((ShopOrder)order.WithEnv(env)).ReadRowsAsync())[0].State;
    }

    private async Task ExecuteAsync(params string[] statements)
    {
        await using var env = await _host.BeginAsync();
        foreach (var sql in statements)
        {
            await env.ExecuteAsync(sql);
        }

        await env.CommitAsync();
    }

    // Every update of an order raises a serialization failure, which queue_job retries like a RetryableJobError.
    private const string ConflictFunction = """
        CREATE FUNCTION shop_order_conflict() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'conflict on %', NEW.name USING ERRCODE = 'serialization_failure';
        END $$
        """;

    private const string ConflictTrigger = """
        CREATE TRIGGER shop_order_conflict BEFORE UPDATE ON shop_order
        FOR EACH ROW EXECUTE FUNCTION shop_order_conflict()
        """;
}
