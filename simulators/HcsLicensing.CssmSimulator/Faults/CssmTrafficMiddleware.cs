using HcsLicensing.CssmSimulator.Inspection;

namespace HcsLicensing.CssmSimulator.Faults;

/// <summary>
/// In front of the token endpoint and swapi (not /sim): counts each call with the status it got, and injects the
/// configured latency, throttling (429 with Retry-After) and errors before the real handler runs.
/// </summary>
public sealed class CssmTrafficMiddleware(RequestDelegate next, FaultInjector faults, CallLog calls, IReadOnlySet<string> tokenPaths)
{
    public const string SwapiPrefix = "/services/api/smart-accounts-and-licensing";

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (!path.StartsWith(SwapiPrefix, StringComparison.OrdinalIgnoreCase) && !tokenPaths.Contains(path))
        {
            await next(context);
            return;
        }

        try
        {
            var (latency, status, retryAfter, loseAnswer) = faults.Next(creates: IsTokenCreation(context.Request.Method, path), path: path);
            if (latency > 0)
            {
                await Task.Delay(latency, context.RequestAborted);
            }

            if (status is { } injected)
            {
                context.Response.StatusCode = injected;
                if (injected == StatusCodes.Status429TooManyRequests)
                {
                    context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await context.Response.WriteAsJsonAsync(new { status = "ERROR", statusMessage = injected == 429 ? "Too many requests" : "Service temporarily unavailable" });
                return;
            }

            if (loseAnswer)
            {
                await CarryOutAndLoseAnswerAsync(context);
                return;
            }

            await next(context);
        }
        finally
        {
            calls.Record(context.Request.Method, path, context.Response.StatusCode);
        }
    }

    /// <summary>A swapi POST that creates something (a registration token); the license report is a POST that only reads.</summary>
    private static bool IsTokenCreation(string method, string path) =>
        HttpMethods.IsPost(method) && path.StartsWith(SwapiPrefix, StringComparison.OrdinalIgnoreCase) && path.EndsWith("/tokens", StringComparison.OrdinalIgnoreCase);

    private async Task CarryOutAndLoseAnswerAsync(HttpContext context)
    {
        var answer = context.Response.Body;
        context.Response.Body = Stream.Null;
        await next(context);
        context.Response.Body = answer;
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
        await context.Response.WriteAsJsonAsync(new { status = "ERROR", statusMessage = "Gateway timeout" });
    }
}
