using System.Globalization;
using Npgsql;

namespace PluginHost.Bench.Table;

/// <summary>
/// The child process that runs Hangfire for the table's Hangfire rows (<c>PluginHost.Bench hangfire-node</c>), so that
/// Hangfire's threads, pools and heap never share a process with the PluginHost runs measured after it (in one
/// process, PluginHost's drains ran 15–20 % slower once a Hangfire run had happened). One node serves every Hangfire
/// run of a table, so that its code stays compiled from the warm-up on, as a long-running Hangfire server's is. Reads
/// one command per line on stdin and answers each with one line on stdout: <c>ok</c>, optionally followed by a result,
/// or <c>error: …</c>. End of input exits.
/// </summary>
internal static class HangfireNode
{
    public const string Command = "hangfire-node";

    public static async Task<int> RunAsync()
    {
        HangfireQueue? queue = null;
        var committed = new Dictionary<int, DateTime>();
        while (await Console.In.ReadLineAsync() is { } line)
        {
            string reply;
            try
            {
                var command = line.Split(' ');
                int Number(int index) => int.Parse(command[index], CultureInfo.InvariantCulture);
                HangfireQueue Queue() => queue ?? throw new InvalidOperationException("no database is open");
                reply = "ok";
                switch (command[0])
                {
                    case "open" when command.Length == 2: // open <database>: installs Hangfire's schema there when missing
                        queue?.Dispose();
                        queue = new HangfireQueue(command[1]);
                        committed.Clear();
                        HangfireJobs.Started.Clear();
                        break;
                    case "close" when command.Length == 1: // stops the server and closes every connection, whose backends flush their statistics
                        queue?.Dispose();
                        queue = null;
                        NpgsqlConnection.ClearAllPools();
                        break;
                    case "enqueue" when command.Length == 3: // enqueue <jobs> <clients>: no-op jobs, one transaction each
                        await Queue().EnqueueNoopsAsync(Number(1), Number(2));
                        break;
                    case "release" when command.Length == 1: // closes idle pooled connections
                        NpgsqlConnection.ClearAllPools();
                        break;
                    case "start" when command.Length == 2: // start <workers>
                        Queue().StartServer(Number(1));
                        break;
                    case "probe" when command.Length == 2: // probe <key>: a job recording its start; the commit's time is kept here
                        Queue().EnqueueRecordStart(Number(1));
                        committed[Number(1)] = DateTime.UtcNow;
                        break;
                    case "latencies" when command.Length == 1: // milliseconds from each probe's commit to its start
                        reply += string.Concat(committed.Select(c =>
                            " " + (HangfireJobs.Started[c.Key] - c.Value).TotalMilliseconds.ToString("R", CultureInfo.InvariantCulture)));
                        break;
                    default:
                        throw new ArgumentException($"unknown command '{line}'");
                }
            }
            catch (Exception e) // Reported to the parent, whose run fails with it; the node goes on reading.
            {
                reply = $"error: {e.GetType().Name}: {e.Message}".ReplaceLineEndings(" ");
            }

            await Console.Out.WriteLineAsync(reply);
            await Console.Out.FlushAsync();
        }

        queue?.Dispose();
        return 0;
    }
}
