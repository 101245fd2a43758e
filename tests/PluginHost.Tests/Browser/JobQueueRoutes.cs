namespace PluginHost.Tests.Browser;

/// <summary>
/// Every Job Queue page and JSON endpoint, in one place: the access tests request each of them anonymously and as a
/// user outside the Job Queue managers. A route added to the console belongs here.
/// </summary>
internal static class JobQueueRoutes
{
    /// <summary>A job uuid in routes that take one; access is refused before the job is looked up.</summary>
    public const string AnyUuid = "00000000-0000-4000-8000-000000000000";

    /// <summary>Pages: an anonymous visitor is sent to the login page.</summary>
    public static readonly string[] Pages =
    [
        "/queue_job/dashboard",
        "/queue_job/jobs",
        $"/queue_job/jobs/{AnyUuid}",
        $"/queue_job/jobs/{AnyUuid}/related",
        "/queue_job/channels",
        "/queue_job/channels/1",
        "/queue_job/functions",
        "/queue_job/functions/1",
    ];

    /// <summary>JSON endpoints (GET): an anonymous caller gets 401.</summary>
    public static readonly string[] JsonEndpoints =
    [
        "/queue_job/jobs.json",
        $"/queue_job/jobs/{AnyUuid}.json",
        "/queue_job/live.json",
    ];

    /// <summary>Actions (POST): an anonymous caller gets 401.</summary>
    public static readonly string[] Actions =
    [
        $"/queue_job/jobs/{AnyUuid}/requeue",
        $"/queue_job/jobs/{AnyUuid}/cancel",
        $"/queue_job/jobs/{AnyUuid}/done",
        $"/queue_job/jobs/{AnyUuid}/requeue.json",
        "/queue_job/jobs/bulk",
        "/queue_job/jobs/bulk.json",
        "/queue_job/functions/1",
    ];
}
