using System.Net;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;

namespace HcsLicensing.SmartAccountSync.Cssm;

/// <summary>CSSM's token endpoint refused the client credentials (400/401 with an OAuth error).</summary>
public sealed class CssmAuthenticationException(int status, string? error, string? description)
    : Exception($"CSSM refused the client credentials: {error ?? "error"} ({description ?? "no description"}), HTTP {status}")
{
    public int Status { get; } = status;

    public string? Error { get; } = error;

    public string? Description { get; } = description;
}

/// <summary>Tells which failures mean "CSSM is unreachable or failing now" (worth a later retry) from the others.</summary>
public static class CssmErrors
{
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        ApiException api => (int)api.StatusCode >= 500 || api.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout,
        ApiRequestException or HttpRequestException or TimeoutRejectedException or BrokenCircuitException or TaskCanceledException => true,
        _ => false,
    };

    /// <summary>An operator's one-line account of a CSSM failure; never the request (which may carry credentials).</summary>
    public static string Describe(Exception exception) => exception switch
    {
        CssmAuthenticationException auth => auth.Message,
        ApiException api => $"CSSM answered HTTP {(int)api.StatusCode} {api.ReasonPhrase} to {api.HttpMethod} {api.Uri?.AbsolutePath}",
        BrokenCircuitException => "CSSM failed repeatedly; calls are paused for a while (circuit open)",
        TimeoutRejectedException => "CSSM did not answer in time",
        ApiRequestException request => $"CSSM could not be reached: {request.InnerException?.Message ?? request.Message}",
        HttpRequestException http => $"CSSM could not be reached: {http.Message}",
        _ => exception.Message,
    };
}
