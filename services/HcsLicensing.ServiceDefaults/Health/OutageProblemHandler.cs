using HcsLicensing.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace HcsLicensing.ServiceDefaults.Health;

/// <summary>
/// While the service's database is away, every API answers 503 with a problem body and Retry-After, not an unhandled
/// 500: the caller learns that trying again shortly is the remedy, and the log says outage, not bug.
/// </summary>
internal sealed class OutageProblemHandler(IProblemDetailsService problems, ILogger<OutageProblemHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!Outages.IsOutage(exception))
        {
            return false;
        }

        logger.LogWarning("{Method} {Path}: answered 503, the database is unreachable ({Error})", httpContext.Request.Method, httpContext.Request.Path, exception.GetBaseException().Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service temporarily unavailable",
                Detail = "The service's database cannot be reached; nothing was changed. Try again in a few seconds.",
            },
        });
    }
}
