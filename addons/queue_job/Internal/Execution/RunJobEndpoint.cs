using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using PluginHost.Addons.Web;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// <c>GET /queue_job/runjob?db=&amp;job_uuid=</c>, Odoo's way to hand an enqueued job to a node over HTTP. Off unless
/// <c>[queue_job] http_auth_user</c> and <c>http_auth_password</c> (or <c>ODOO_QUEUE_JOB_HTTP_AUTH_*</c>) are set;
/// then requests must carry them as HTTP basic authentication. The job takes one of the node's worker slots.
/// </summary>
internal sealed class RunJobEndpoint(JobPerformers performers, WorkerSlots slots, string? user, string? password, ILogger<RunJobEndpoint> logger) : IWebRoutes
{
    public void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/queue_job/runjob", (Func<HttpContext, string?, string?, Task<IResult>>)RunAsync);

    private async Task<IResult> RunAsync(HttpContext http, string? db, string? job_uuid)
    {
        if (user is null || password is null)
        {
            return Results.NotFound("runjob is off: set [queue_job] http_auth_user and http_auth_password to use it.");
        }

        if (!Authorized(http.Request.Headers.Authorization.ToString()))
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"queue_job\"";
            return Results.Unauthorized();
        }

        if (string.IsNullOrEmpty(db) || string.IsNullOrEmpty(job_uuid))
        {
            return Results.BadRequest("'db' and 'job_uuid' are required.");
        }

        if (performers.Find(db) is not { } performer)
        {
            return Results.NotFound($"This node does not run the jobs of database '{db}' (see -d and --db-filter).");
        }

        using var slot = await slots.TakeAsync(http.RequestAborted);
        if (!await performer.RecoverAsync())
        {
            return Results.Problem($"Database '{db}' is out of reach; try again later.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }


        if (!await performer.RunAsync(job_uuid, http.RequestAborted))
        {
            logger.LogWarning("was requested to run job {Uuid}, but it does not exist, or is not in state enqueued", job_uuid);
        }

        return Results.Text("");
    }

    private bool Authorized(string header)
    {
        const string scheme = "Basic ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromBase64String(header[scheme.Length..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes($"{user}:{password}"));
    }
}
