using Npgsql;
using PluginHost.Host.Addons;
using PluginHost.Host.Configuration;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Modules;

/// <summary>A start that fails leaves no database behind, and addon commands never create one (issue 9, item 3).</summary>
public sealed class StartFailureTests : DatabaseTestBase
{
    [Test]
    public async Task A_start_asking_for_an_unknown_addon_drops_the_database_it_created()
    {
        var options = Database.Options(RepoPaths.Addons) with { Init = ["nosuch"] };

        Assert.That(() => TestHost.BootAsync(options), Throws.Exception.With.Message.Contains("nosuch"));
        Assert.That(await ExistsAsync(options), Is.False);
    }

    [Test]
    public async Task A_start_with_a_bad_channels_string_drops_the_database_it_created()
    {
        var options = Database.Options(RepoPaths.Addons) with { ServerWideModules = ["web", "queue_job"] };

        Assert.That(() => TestHost.BootAsync(options, new Dictionary<string, string?> { ["queue_job:channels"] = "root:2,sub:many" }),
            Throws.ArgumentException.With.Message.Contains("'sub:many'"));
        Assert.That(await ExistsAsync(options), Is.False);
    }

    [Test]
    public async Task A_model_class_without_its_model_attribute_names_the_addon_and_drops_the_database_it_created()
    {
        var options = Database.Options(RepoPaths.Addons, RepoPaths.BrokenAddons) with { Init = ["unmarked_model"] };

        Assert.That(() => TestHost.BootAsync(options), Throws.TypeOf<AddonLoadException>().With.Message.EqualTo(
            $"{Path.Combine(RepoPaths.BrokenAddons, "unmarked_model", "manifest.json")}: addon 'unmarked_model': UnmarkedModel.Order has no [Model(\"name\")] attribute: add one naming the model it implements."));
        Assert.That(await ExistsAsync(options), Is.False);
    }

    [Test]
    public async Task A_start_that_fails_on_an_existing_database_keeps_it()
    {
        var options = Database.Options(RepoPaths.Addons);
        await (await TestHost.BootAsync(options)).DisposeAsync();

        Assert.That(() => TestHost.BootAsync(options with { Init = ["nosuch"] }), Throws.Exception.With.Message.Contains("nosuch"));
        Assert.That(await ExistsAsync(options), Is.True);
    }

    [Test]
    public async Task An_addon_command_on_a_missing_database_is_refused_and_creates_none()
    {
        var options = Database.Options(RepoPaths.Addons) with { CreateDatabase = false, StopAfterInit = true, ServerWideModules = [] };

        Assert.That(() => TestHost.BootAsync(options),
            Throws.ArgumentException.With.Message.EqualTo($"Database '{options.Database}' does not exist; host commands work on an existing database (-d)."));
        Assert.That(await ExistsAsync(options), Is.False);
    }

    private static async Task<bool> ExistsAsync(ServerOptions options)
    {
        await using var connection = new NpgsqlConnection(options.ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = options.Database } } };
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }
}
