using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HcsLicensing.ServiceDefaults.Security;

/// <summary>
/// Puts the caller (sub / client id) in the log scope of everything a request logs, and writes one audit line per change
/// (any method but GET/HEAD/OPTIONS) with who asked and what was answered: the record of who changed what.
/// </summary>
internal sealed class CallerAudit(RequestDelegate next, ILoggerFactory loggers)
{
    private readonly ILogger _audit = loggers.CreateLogger("HcsLicensing.Audit");

    public async Task InvokeAsync(HttpContext context)
    {
        var caller = CallerIdentity.Of(context.User);
        using var scope = caller is null ? null : _audit.BeginScope(new Dictionary<string, object> { ["Caller"] = caller });
        await next(context);
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method))
        {
            _audit.LogInformation("{Caller} {Method} {Path} answered {StatusCode}", caller ?? "(anonymous)", context.Request.Method, context.Request.Path.Value, context.Response.StatusCode);
        }
    }
}
