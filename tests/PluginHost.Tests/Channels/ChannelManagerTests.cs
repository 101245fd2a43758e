using PluginHost.Addons.QueueJob.Internal.Channels;

namespace PluginHost.Tests.Channels;

/// <summary>Upstream's channel-manager behaviour replayed on snapshots with an injected clock.</summary>
public sealed class ChannelManagerTests
{
    private static readonly DateTime Now = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private long _nextId;

    [SetUp]
    public void NumberJobsFromOne() => _nextId = 0;

    [Test]
    public void Root_capacity_bounds_how_many_jobs_run_at_once()
    {
        var manager = Manager("root:2");

        var selected = manager.Select(Snapshot(pending: [Job("root"), Job("root"), Job("root")]), Now);

        Assert.That(selected.Select(j => j.Id), Is.EqualTo(new long[] { 1, 2 }));
    }

    [Test]
    public void An_unlimited_root_selects_every_due_job_up_to_the_budget_and_its_sub_channels_keep_their_capacity()
    {
        var manager = Manager("sub:1,root:0");
        var snapshot = Snapshot(pending: [Job("root.sub"), Job("root.sub"), Job("root"), Job("root"), Job("root")]);

        Assert.That(manager.Select(snapshot, Now).Select(j => j.Id), Is.EqualTo(new long[] { 1, 3, 4, 5 }));
        Assert.That(manager.Select(snapshot, Now, budget: 2).Select(j => j.Id), Is.EqualTo(new long[] { 1, 3 }));
    }

    [Test]
    public void A_sub_channel_capacity_holds_and_its_jobs_count_against_root()
    {
        var manager = Manager("root:3,sub:1");

        var selected = manager.Select(Snapshot(pending: [Job("root.sub"), Job("root.sub"), Job("root"), Job("root"), Job("root")]), Now);

        Assert.That(selected.Select(j => j.Id), Is.EqualTo(new long[] { 1, 3, 4 }));
    }

    [Test]
    public void Running_jobs_take_their_slots_in_every_channel_of_their_path()
    {
        var manager = Manager("root:3,sub:2");
        var snapshot = Snapshot(running: new() { ["root.sub"] = 2 }, pending: [Job("root.sub"), Job("root"), Job("root")]);

        Assert.That(manager.Select(snapshot, Now).Select(j => j.Id), Is.EqualTo(new long[] { 2 }));
    }

    [Test]
    public void Jobs_start_by_priority_then_creation_date_then_id()
    {
        var manager = Manager("root:4");
        var late = Job("root", priority: 5, created: Now.AddMinutes(-1));
        var early = Job("root", priority: 5, created: Now.AddMinutes(-2));
        var urgent = Job("root", priority: 1, created: Now);
        var sameTimeLowerId = Job("root", priority: 5, created: Now.AddMinutes(-1));

        var selected = manager.Select(Snapshot(pending: [late, early, urgent, sameTimeLowerId]), Now);

        Assert.That(selected, Is.EqualTo(new[] { urgent, early, late, sameTimeLowerId }));
    }

    [Test]
    public void A_job_past_its_eta_does_not_overtake_a_more_urgent_one()
    {
        var manager = Manager("root:1");
        var pastEta = Job("root", priority: 10, created: Now.AddHours(-2), eta: Now.AddMinutes(-1));
        var urgent = Job("root", priority: 1, created: Now);

        Assert.That(manager.Select(Snapshot(pending: [pastEta, urgent]), Now), Is.EqualTo(new[] { urgent }));
    }

    [Test]
    public void A_job_before_its_eta_waits_and_sets_the_wake_up()
    {
        var manager = Manager("root:2");
        var snapshot = Snapshot(pending: [Job("root", eta: Now.AddSeconds(30)), Job("root", eta: Now.AddSeconds(10))]);

        Assert.That(manager.Select(snapshot, Now), Is.Empty);
        Assert.That(manager.WakeUp(snapshot, Now), Is.EqualTo(Now.AddSeconds(10)));
        Assert.That(manager.Select(snapshot, Now.AddSeconds(10)).Select(j => j.Id), Is.EqualTo(new long[] { 2 }));
    }

    [Test]
    public void A_full_channel_sets_no_wake_up()
    {
        var manager = Manager("root:1");

        Assert.That(manager.WakeUp(Snapshot(running: new() { ["root"] = 1 }, pending: [Job("root", eta: Now.AddSeconds(5))]), Now), Is.Null);
    }

    [Test]
    public void A_channel_that_is_not_configured_counts_against_its_nearest_configured_ancestor()
    {
        var manager = Manager("root:5,sub:1");

        var selected = manager.Select(Snapshot(pending: [Job("root.sub.not.configured"), Job("root.sub"), Job("other")]), Now);

        Assert.That(manager.Resolve("root.sub.not.configured"), Is.EqualTo("root.sub"));
        Assert.That(manager.Resolve("other"), Is.EqualTo("root"));
        Assert.That(selected.Select(j => j.Id), Is.EqualTo(new long[] { 1, 3 }));
    }

    [Test]
    public void Intermediate_channels_are_unlimited_and_zero_means_unlimited_below_root()
    {
        var manager = Manager("root:10,a.b:1,c:0");

        var selected = manager.Select(Snapshot(pending: [Job("root.a"), Job("root.a"), Job("root.a.b"), Job("root.a.b"), Job("root.c"), Job("root.c"), Job("root.c")]), Now);

        Assert.That(selected.Select(j => j.Id), Is.EqualTo(new long[] { 1, 2, 3, 5, 6, 7 }));
    }

    [Test]
    public void A_sequential_channel_stops_at_a_failed_job()
    {
        var manager = Manager("root:4,seq:1:sequential");

        var blocked = manager.Select(Snapshot(failed: ["root.seq"], pending: [Job("root.seq"), Job("root")]), Now);
        var free = manager.Select(Snapshot(pending: [Job("root.seq"), Job("root")]), Now);

        Assert.That(blocked.Select(j => j.Channel), Is.EqualTo(new[] { "root" }));
        Assert.That(free.Select(j => j.Channel), Is.EquivalentTo(new[] { "root.seq", "root" }));
    }

    [Test]
    public void A_sequential_channel_lets_no_later_job_overtake_one_waiting_for_its_eta()
    {
        var manager = Manager("root:4,seq:1:sequential");
        var waiting = Job("root.seq", created: Now.AddMinutes(-5), eta: Now.AddMinutes(1));
        var later = Job("root.seq", created: Now.AddMinutes(-1));

        Assert.That(manager.Select(Snapshot(pending: [waiting, later]), Now), Is.Empty);
        Assert.That(manager.Select(Snapshot(pending: [waiting, later]), Now.AddMinutes(1)), Is.EqualTo(new[] { waiting }));
    }

    [Test]
    public void A_throttled_channel_starts_one_job_then_waits_its_throttle()
    {
        var manager = Manager("root:4,slow:2:throttle=10");
        var snapshot = Snapshot(pending: [Job("root.slow"), Job("root.slow")]);

        var first = manager.Select(snapshot, Now);
        var during = manager.Select(Snapshot(running: new() { ["root.slow"] = 1 }, pending: [snapshot.Pending[1]]), Now.AddSeconds(5));
        var wakeUp = manager.WakeUp(Snapshot(running: new() { ["root.slow"] = 1 }, pending: [snapshot.Pending[1]]), Now.AddSeconds(5));
        var after = manager.Select(Snapshot(running: new() { ["root.slow"] = 1 }, pending: [snapshot.Pending[1]]), Now.AddSeconds(10));

        Assert.That(first.Select(j => j.Id), Is.EqualTo(new long[] { 1 }));
        Assert.That(during, Is.Empty);
        Assert.That(wakeUp, Is.EqualTo(Now.AddSeconds(10)));
        Assert.That(after.Select(j => j.Id), Is.EqualTo(new long[] { 2 }));
    }

    [TestCase("root:16", "root", ExpectedResult = "root")]
    [TestCase("root:16", "root.unconfigured", ExpectedResult = "root")]
    [TestCase("root:4,sub:2", "root.sub", ExpectedResult = "root.sub")]
    [TestCase("root:4,sub:0", "root", ExpectedResult = "root")]
    public string? A_finished_job_hands_its_slot_over_when_no_sibling_channel_competes_for_it(string channels, string jobChannel) =>
        Manager(channels).HandOffChannel(jobChannel);

    [TestCase("root:4,sub:2", "root", Description = "root.sub may want root's freed slot")]
    [TestCase("root:4,a:2,b:2", "root.a", Description = "root.b competes for root")]
    [TestCase("root:4,sub:1:sequential", "root.sub", Description = "sequential order is the runner's")]
    [TestCase("root:4:throttle=2", "root", Description = "throttling is the runner's")]
    public void A_finished_job_leaves_its_slot_to_the_runner_when_another_channel_or_a_pace_is_involved(string channels, string jobChannel) =>
        Assert.That(Manager(channels).HandOffChannel(jobChannel), Is.Null);

    private static ChannelManager Manager(string channels) => new(ChannelConfiguration.Parse(channels));

    private ChannelJob Job(string channel, int priority = 10, DateTime? created = null, DateTime? eta = null) =>
        new(++_nextId, channel, priority, created ?? Now.AddMinutes(-10).AddSeconds(_nextId), eta);

    private static ChannelSnapshot Snapshot(Dictionary<string, int>? running = null, string[]? failed = null, ChannelJob[]? pending = null) =>
        new(running ?? [], new HashSet<string>(failed ?? []), pending ?? []);
}
