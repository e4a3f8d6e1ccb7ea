using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HcsLicensing.ServiceDefaults.Http;

/// <summary>
/// Input that model binding cannot read (invalid JSON, a JSON value of the wrong type, a query value that is not a
/// number, a missing body) answers 400 as a validation problem whose <c>errors</c> name the field, like the
/// services' own validation, instead of a bare "Bad Request". Minimal APIs are told to throw on bad requests, and
/// this handler turns the exception into the problem; it never echoes the value, which may hold a secret.
/// </summary>
public sealed partial class InputProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var field = FieldOf(bad);
        var status = bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : StatusCodes.Status400BadRequest;
        httpContext.Response.StatusCode = status;
        var reason = status switch
        {
            StatusCodes.Status415UnsupportedMediaType => "the body must be JSON (Content-Type: application/json)",
            StatusCodes.Status413PayloadTooLarge => "the body is too large",
            _ when bad.InnerException is JsonException => $"{field} has a value of the wrong type or is not valid JSON",
            _ => $"{field} is missing or not in the expected form",
        };
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [reason] })
            {
                Status = status,
                Title = "One or more validation errors occurred.",
            },
        });
    }

    /// <summary>"clientId" for a JSON path $.clientId, "page" for a query parameter, else "body".</summary>
    internal static string FieldOf(BadHttpRequestException exception)
    {
        if (exception.InnerException is JsonException { Path: { Length: > 2 } path } && path.StartsWith("$.", StringComparison.Ordinal))
        {
            return path[2..];
        }

        // Binding messages name the parameter: Failed to bind parameter "int? page" from "x".
        var match = ParameterPattern().Match(exception.Message);
        return match.Success && !exception.Message.Contains("from the request body", StringComparison.Ordinal) && !exception.Message.Contains("from body", StringComparison.Ordinal)
            ? match.Groups["name"].Value
            : "body";
    }

    [GeneratedRegex("parameter \"[^\"]*?(?<name>[A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex ParameterPattern();
}

/// <summary>Registers <see cref="InputProblems"/>.</summary>
public static class InputProblemsExtensions
{
    public static IServiceCollection AddInputProblems(this IServiceCollection services)
    {
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddExceptionHandler<InputProblems>();
        return services;
    }
}
