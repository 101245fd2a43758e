namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>Who may see the queue: Job Queue managers only, as upstream (<c>data/queue_job_security.xml</c>).</summary>
internal static class JobQueueAccess
{
    /// <summary>The group of the Job Queue managers; the administrator and the superuser are in it.</summary>
    public const string ManagerGroup = "queue_job.group_queue_job_manager";
}
