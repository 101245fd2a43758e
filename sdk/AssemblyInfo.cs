using System.Runtime.CompilerServices;

// The host builds databases and environments; its tests and benchmarks reach them the same way.
[assembly: InternalsVisibleTo("host")]

// queue_job refuses the commit of a job's transaction while the job runs (Env.CommitRefusal): the executor commits it
// with the job's done.
[assembly: InternalsVisibleTo("PluginHost.Addons.QueueJob")]

// The tests check what the executor's sessions keep and reset (Database.BeginJobAsync, Env.SessionUsed).
[assembly: InternalsVisibleTo("PluginHost.Tests")]
