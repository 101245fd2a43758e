using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace PluginHost.Addons.Web.Internal;

/// <summary>
/// Refuses a state-changing request (POST, PUT, PATCH, DELETE) another site could have made with the user's cookie:
/// a form must carry the antiforgery token of a page of this site (<c>csrf_token</c>); any other body (JSON) must come
/// from this origin, as the browser's <c>Origin</c> or <c>Sec-Fetch-Site</c> header says. A request with neither
/// header comes from no browser (curl, a script) and cannot be a forgery, which rides a browser's cookie.
/// </summary>
internal static class RequestForgeryCheck
{
    public static async Task CheckAsync(HttpContext http, Func<Task> next)
    {
        var request = http.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            await next();
            return;
        }

        if (CrossOrigin(request) is { } origin)
        {
            await RefuseAsync(http, $"{request.Method} {request.Path} comes from another site ({origin}): refused.");
            return;
        }

        if (request.HasFormContentType)
        {
            if (await FormRefusalAsync(http) is { } refusal)
            {
                await refusal.ExecuteAsync(http);
                return;
            }

            var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
            try
            {
                await antiforgery.ValidateRequestAsync(http);
            }
            catch (AntiforgeryValidationException)
            {
                await RefuseAsync(http, $"{request.Method} {request.Path}: the form's security token (csrf_token) is missing or stale; reload the page and try again.");
                return;
            }
        }

        await next();
    }

    /// <summary>
    /// Reads the form within the endpoint's limits (<c>WithFormOptions</c>, a request size limit), before the token in
    /// it is checked: 400 for too many or too long fields, 413 for too large a body.
    /// </summary>
    private static async Task<IResult?> FormRefusalAsync(HttpContext http)
    {
        var metadata = http.GetEndpoint()?.Metadata;
        var limits = metadata?.GetMetadata<IFormOptionsMetadata>();
        var size = metadata?.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize;
        if (size is not null && http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = size;
        }

        var options = new FormOptions();
        options.ValueCountLimit = limits?.ValueCountLimit ?? options.ValueCountLimit;
        options.KeyLengthLimit = limits?.KeyLengthLimit ?? options.KeyLengthLimit;
        options.ValueLengthLimit = limits?.ValueLengthLimit ?? options.ValueLengthLimit;
        options.MultipartBodyLengthLimit = limits?.MultipartBodyLengthLimit ?? options.MultipartBodyLengthLimit;
        try
        {
            await http.Request.ReadFormAsync(options, http.RequestAborted);
            return null;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Results.Text($"{http.Request.Method} {http.Request.Path}: the form is larger than {size / 1024} KB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        catch (InvalidDataException e)
        {
            return Results.BadRequest($"{http.Request.Method} {http.Request.Path}: the form is not acceptable: {e.Message}");
        }
    }

    /// <summary>The other origin the browser says the request comes from; null when it is this one, or when no browser says.</summary>
    private static string? CrossOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site is "cross-site" or "same-site")
        {
            return request.Headers.Origin.ToString() is { Length: > 0 } from ? from : site;
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || site == "same-origin")
        {
            return null;
        }

        return string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase) ? null : origin;
    }

    private static async Task RefuseAsync(HttpContext http, string message)
    {
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(message);
    }
}
