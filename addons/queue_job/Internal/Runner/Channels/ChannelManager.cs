namespace PluginHost.Addons.QueueJob.Internal.Channels;

/// <summary>
/// Decides which pending jobs may start, as upstream's channel manager, from a snapshot instead of an in-memory copy
/// of every job, with the clock given by the caller. A job counts against its channel and every ancestor up to
/// root; a channel not configured counts against its nearest configured ancestor; missing intermediate channels
/// are unlimited; a capacity of 0 or none is unlimited; jobs compete by priority, then creation date, then id;
/// a sequential channel stops at a failed job and never lets a later job overtake one still waiting for its eta;
/// a throttled channel waits its throttle after starting a job. The only state kept is each channel's pause.
/// </summary>
internal sealed class ChannelManager
{
    private readonly Dictionary<string, ChannelSpec> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTime> _pausedUntil = new(StringComparer.Ordinal);

    public ChannelManager(IEnumerable<ChannelSpec> specs)
    {
        _channels["root"] = new ChannelSpec("root", 1);
        foreach (var spec in specs)
        {
            _channels[spec.Name] = spec;
        }

        foreach (var spec in _channels.Values.ToList())
        {
            for (var parent = Parent(spec.Name); parent is not null; parent = Parent(parent))
            {
                _channels.TryAdd(parent, new ChannelSpec(parent, null));
            }
        }
    }

    /// <summary>The channels, configured and implied.</summary>
    public IReadOnlyCollection<ChannelSpec> Channels => _channels.Values;

    /// <summary>The channel a job of <paramref name="jobChannel"/> counts against: itself if configured, else its nearest configured ancestor.</summary>
    public string Resolve(string jobChannel)
    {
        var name = jobChannel == "root" || jobChannel.StartsWith("root.", StringComparison.Ordinal) ? jobChannel : "root." + jobChannel;
        while (!_channels.ContainsKey(name))
        {
            name = Parent(name) ?? "root";
        }

        return name;
    }

    /// <summary>The jobs to start now, in start order, at most <paramref name="budget"/> (null: as many as the capacities allow); pauses throttled channels it starts jobs in.</summary>
    public IReadOnlyList<ChannelJob> Select(ChannelSnapshot snapshot, DateTime now, int? budget = null)
    {
        var running = RunningBySubtree(snapshot);
        var blocked = SequentialBlocked(snapshot, now);
        var selected = new List<ChannelJob>();
        foreach (var job in snapshot.Pending.Where(j => IsDue(j, now)).Order(ChannelJob.Order))
        {
            if (selected.Count == budget)
            {
                break;
            }

            var path = PathToRoot(Resolve(job.Channel));
            if (path.Any(c => blocked.Contains(c) || IsPaused(c, now) || IsFull(c, running)))
            {
                continue;
            }

            selected.Add(job);
            foreach (var channel in path)
            {
                running[channel] = running.GetValueOrDefault(channel) + 1;
                if (_channels[channel].ThrottleSeconds > 0)
                {
                    _pausedUntil[channel] = now.AddSeconds(_channels[channel].ThrottleSeconds);
                }
            }
        }

        return selected;
    }

    /// <summary>
    /// The channel a finished job of <paramref name="jobChannel"/> counts against, when its freed slot may go straight
    /// to the first due pending job in the global order (priority, date created, id); null when the runner must decide.
    /// That job then counts against channels the finished job counted against, so no capacity is exceeded, and it is
    /// the job the runner would pick, as long as every limited channel lies on the finished job's path to root (no
    /// sibling channel competes for the slot) and none on that path is sequential or throttled.
    /// </summary>
    public string? HandOffChannel(string jobChannel)
    {
        var channel = Resolve(jobChannel);
        var path = PathToRoot(channel);
        var siblingLimited = _channels.Values.Any(c => !c.Unlimited && !path.Contains(c.Name));
        var paced = path.Any(c => _channels[c].Sequential || _channels[c].ThrottleSeconds > 0);
        return siblingLimited || paced ? null : channel;
    }

    /// <summary>Whether <paramref name="channel"/> (a complete name) is <paramref name="ancestor"/> or one of its subchannels.</summary>
    public static bool IsWithin(string channel, string ancestor) =>
        channel == ancestor || (channel.StartsWith(ancestor, StringComparison.Ordinal) && channel.Length > ancestor.Length && channel[ancestor.Length] == '.');

    /// <summary>How many jobs of <paramref name="jobChannel"/> may be run and marked done in one transaction (its channel's <c>batch</c>).</summary>
    public int BatchSize(string jobChannel) => _channels[Resolve(jobChannel)].Batch;

    /// <summary>
    /// When to look again without a notification: the earliest pause end or future eta among channels with room;
    /// null when nothing is due later (a finished job's notification wakes the runner).
    /// </summary>
    public DateTime? WakeUp(ChannelSnapshot snapshot, DateTime now)
    {
        var running = RunningBySubtree(snapshot);
        var times = new List<DateTime>();
        foreach (var job in snapshot.Pending)
        {
            var path = PathToRoot(Resolve(job.Channel));
            if (path.Any(c => IsFull(c, running)))
            {
                continue;
            }

            times.AddRange(path.Where(c => IsPaused(c, now)).Select(c => _pausedUntil[c]));
            if (job.Eta is { } eta && eta > now)
            {
                times.Add(eta);
            }
        }

        return times.Count == 0 ? null : times.Min();
    }

    private Dictionary<string, int> RunningBySubtree(ChannelSnapshot snapshot)
    {
        var running = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (channel, count) in snapshot.Running)
        {
            foreach (var node in PathToRoot(Resolve(channel)))
            {
                running[node] = running.GetValueOrDefault(node) + count;
            }
        }

        return running;
    }

    private HashSet<string> SequentialBlocked(ChannelSnapshot snapshot, DateTime now)
    {
        var blocked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var channel in _channels.Values.Where(c => c.Sequential).Select(c => c.Name))
        {
            var jobs = snapshot.Pending.Where(j => Resolve(j.Channel) == channel).ToList();
            var firstReady = jobs.Where(j => IsDue(j, now)).Order(ChannelJob.Order).FirstOrDefault();
            var firstWaiting = jobs.Where(j => !IsDue(j, now)).Order(ChannelJob.Order).FirstOrDefault();
            var failed = snapshot.Failed.Any(f => Resolve(f) == channel);
            if (failed || (firstReady is not null && firstWaiting is not null && ChannelJob.Order.Compare(firstWaiting, firstReady) < 0))
            {
                blocked.Add(channel);
            }
        }

        return blocked;
    }

    private bool IsFull(string channel, IReadOnlyDictionary<string, int> running) =>
        !_channels[channel].Unlimited && running.GetValueOrDefault(channel) >= _channels[channel].Capacity;

    private bool IsPaused(string channel, DateTime now) => _pausedUntil.TryGetValue(channel, out var until) && until > now;

    private static bool IsDue(ChannelJob job, DateTime now) => job.Eta is null || job.Eta <= now;

    private static List<string> PathToRoot(string channel)
    {
        var path = new List<string>();
        for (string? name = channel; name is not null; name = Parent(name))
        {
            path.Add(name);
        }

        return path;
    }

    private static string? Parent(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot < 0 ? null : name[..dot];
    }
}
