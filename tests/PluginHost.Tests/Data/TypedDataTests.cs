using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using LinqToDB.Mapping;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Data;

/// <summary>Typed rows through linq2db on an environment's own transaction (<see cref="Env.Data"/>, <see cref="Model{TRow}"/>).</summary>
public sealed class TypedDataTests : JobTestBase
{
    [Test]
    public async Task Typed_writes_are_rolled_back_with_their_environment()
    {
        await using (var env = await Jobs.Host.Database.BeginAsync())
        {
            await env.Data.InsertAsync(new TestQueueJobRow { Name = "rolled back" });
            await env.Query<TestQueueJobRow>().Where(r => r.Name == "rolled back").Set(r => r.Note, "updated").UpdateAsync();
            Assert.That(await env.Query<TestQueueJobRow>().Where(r => r.Note == "updated").CountAsync(), Is.EqualTo(1), "seen inside the transaction");
            Assert.That(await env.ScalarAsync<long>("SELECT count(*) FROM test_queue_job WHERE note = 'updated'"), Is.EqualTo(1), "on the environment's own connection");
        }

        Assert.That(await Jobs.Database.ScalarAsync<long>("SELECT count(*) FROM test_queue_job WHERE name = 'rolled back'"), Is.Zero);
    }

    [Test]
    public async Task Typed_writes_commit_with_their_environment()
    {
        await using (var env = await Jobs.Host.Database.BeginAsync())
        {
            var records = env.Model<TestQueueJobModel>();
            var created = await records.CreateAsync(new TestQueueJobRow { Name = "committed" });
            await created.Rows.Set(r => r.Note, "updated").UpdateAsync();
            await env.CommitAsync();
        }

        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT note FROM test_queue_job WHERE name = 'committed'"), Is.EqualTo("updated"));
    }

    [Test]
    public async Task A_typed_search_returns_a_recordset_of_the_model_in_id_order()
    {
        await using var env = await Jobs.Host.Database.BeginAsync();
        var records = env.Model<TestQueueJobModel>();
        var second = (await records.CreateAsync(new TestQueueJobRow { Name = "b", Note = "keep" })).Id;
        var first = (await records.CreateAsync(new TestQueueJobRow { Name = "a", Note = "keep" })).Id;
        await records.CreateAsync(new TestQueueJobRow { Name = "c", Note = "other" });

        var found = await records.SearchAsync(r => r.Note == "keep");

        Assert.That(found, Is.InstanceOf<TestQueueJobModel>());
        Assert.That(found.Ids, Is.EqualTo(new[] { second, first }.Order().ToArray()));
        Assert.That((await found.ReadRowsAsync()).Select(r => r.Name), Is.EqualTo(second < first ? new[] { "b", "a" } : ["a", "b"]));
    }

    [Test]
    public async Task A_hostile_string_in_a_LINQ_filter_stays_a_parameter()
    {
        const string hostile = "x'; DROP TABLE test_queue_job; --";
        await using var env = await Jobs.Host.Database.BeginAsync();
        await env.Data.InsertAsync(new TestQueueJobRow { Name = hostile });
        var wanted = hostile;

        var names = await env.Query<TestQueueJobRow>().Where(r => r.Name == wanted).Select(r => r.Name).ToListAsync();

        Assert.That(names, Is.EqualTo(new[] { hostile }));
        Assert.That(((DataConnection)env.Data).LastQuery, Does.Not.Contain("DROP TABLE"), "the value is sent apart from the statement");
        Assert.That(await env.ScalarAsync<long>("SELECT count(*) FROM test_queue_job"), Is.EqualTo(1), "the table is still there");
    }

    [Test]
    public async Task A_query_through_linq2db_counts_as_a_use_of_the_transaction()
    {
        await using var env = await Jobs.Host.Database.BeginAsync();
        var before = env.Uses;

        await env.Query<TestQueueJobRow>().CountAsync();

        Assert.That(env.Uses, Is.GreaterThan(before));
    }

    [Test]
    public async Task A_linq2db_query_is_cancelled_with_its_environment()
    {
        using var cancel = new CancellationTokenSource();
        await using var env = await Jobs.Host.Database.BeginAsync(cancellationToken: cancel.Token);
        await env.Data.InsertAsync(new TestQueueJobRow { Name = "sleeper" });
        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));

        // No token is passed to linq2db: the environment cancels its latest command itself.
        var sleep = env.Query<TestQueueJobRow>().Select(r => Sql.Expr<string>("pg_sleep(30)::text")).ToListAsync();

        Assert.That(async () => await sleep, Throws.InstanceOf<Exception>().With.Message.Contains("cancel"));
    }

    [Test]
    public async Task A_row_type_derived_by_another_addon_reads_and_writes_the_columns_it_adds()
    {
        await using var env = await Jobs.Host.Database.BeginAsync();
        await env.ExecuteAsync("ALTER TABLE test_queue_job ADD COLUMN loyalty_points integer NOT NULL DEFAULT 0");
        await env.Data.InsertAsync(new ExtendedRow { Name = "extended", LoyaltyPoints = 120 });
        await env.Data.InsertAsync(new TestQueueJobRow { Name = "plain" });

        var rich = await env.Query<ExtendedRow>().Where(r => r.LoyaltyPoints > 100).Select(r => r.Name).ToListAsync();

        Assert.That(rich, Is.EqualTo(new[] { "extended" }));
        Assert.That(await env.Query<TestQueueJobRow>().CountAsync(), Is.EqualTo(2), "the base row type still reads the table");
    }

    [Test]
    public async Task A_row_type_mapped_fluently_is_queried_like_an_attributed_one()
    {
        new FluentMappingBuilder(RowMapping.Schema)
            .Entity<FluentRow>().HasTableName("test_queue_job")
            .Property(r => r.Id).HasColumnName("id").IsPrimaryKey().IsIdentity()
            .Property(r => r.Label).HasColumnName("name")
            .Build();
        await using var env = await Jobs.Host.Database.BeginAsync();
        await env.Data.InsertAsync(new FluentRow { Label = "fluent" });

        Assert.That(await env.Query<FluentRow>().Where(r => r.Label == "fluent").Select(r => r.Label).ToListAsync(), Is.EqualTo(new[] { "fluent" }));
        Assert.That(await env.ScalarAsync<string>("SELECT name FROM test_queue_job"), Is.EqualTo("fluent"));
    }

    [Test]
    public void A_row_type_mapping_another_table_is_refused_naming_both()
    {
        var error = Assert.Throws<ArgumentException>(() => new ModelRegistryBuilder().Add<MismappedModel>());

        Assert.That(error!.Message, Does.Contain("test.mismapped").And.Contain("table test_mismapped").And.Contain("maps table test_queue_job"));
    }

    /// <summary>The row type of test.queue.job as another addon extends it with a column of its own.</summary>
    [Table("test_queue_job")]
    private sealed class ExtendedRow : TestQueueJobRow
    {
        [Column("loyalty_points")]
        public int LoyaltyPoints { get; set; }
    }

    /// <summary>A row type without attributes, mapped with linq2db's fluent builder.</summary>
    private sealed class FluentRow
    {
        public long Id { get; set; }

        public string Label { get; set; } = "";
    }

    /// <summary>A model whose row type maps another model's table.</summary>
    [Model("test.mismapped")]
    private sealed class MismappedModel : Model<TestQueueJobRow>;
}
