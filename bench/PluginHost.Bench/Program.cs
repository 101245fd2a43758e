using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using PluginHost.Bench.Table;

// `table` (the default): the comparison table of bench/README.md. `micro`: the BenchmarkDotNet classes, in process
// (they boot a host with its addons from the repository; no generated project to restore). `hangfire-node`: the
// child process of the table's Hangfire rows.
if (args.Length > 0 && args[0] == "micro")
{
    var config = DefaultConfig.Instance
        .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance))
        .WithOptions(ConfigOptions.DisableOptimizationsValidator);
    BenchmarkSwitcher.FromAssembly(typeof(PluginHost.Bench.EnqueueLatency).Assembly).Run(args[1..], config);
    return 0;
}

if (args.Length > 0 && args[0] == HangfireNode.Command)
{
    return await HangfireNode.RunAsync();
}

return await TableRunner.RunAsync(args.Length > 0 && args[0] == "table" ? args[1..] : args);
