using System.Net;
using System.Text.Json;
using HcsLicensing.Chpa.Inventory;
using HcsLicensing.Contracts.Chpa;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using Refit;

namespace HcsLicensing.Chpa.UcApplications.Http;

/// <summary>
/// <see cref="IUcApplicationClient"/> over the UC simulator's licensing API, through Refit on a pooled HttpClient whose
/// resilience pipeline (<see cref="UcHttpClientRegistration"/>) times out and retries transient failures except POSTs.
/// Every exception the network can raise becomes a <see cref="UcFailure"/> here.
/// </summary>
public sealed class HttpUcApplicationClient(IHttpClientFactory httpClients, IOptions<UcClientOptions> options, PublisherAllowList allowList) : IUcApplicationClient
{
    private static readonly RefitSettings Settings = new(new SystemTextJsonContentSerializer(new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    private static readonly JsonSerializerOptions ErrorJson = new(JsonSerializerDefaults.Web);

    public Task<UcResult<UcPlatformVersion>> GetPlatformVersionAsync(UcTarget target, CancellationToken cancellationToken) =>
        CallAsync(target, api => api.GetPlatformVersion(target.Platform.BasicParameter(), cancellationToken),
            wire => wire.ActiveVersion is null ? null : new UcPlatformVersion(UcWireMapping.Parse<UcApplicationType>(wire.ProductType), wire.ActiveVersion), cancellationToken);

    public Task<UcResult<UcLicensingStatus>> GetStatusAsync(UcTarget target, CancellationToken cancellationToken) =>
        CallAsync(target, api => api.GetStatus(target.Management.BasicParameter(), cancellationToken), UcWireMapping.ToStatus, cancellationToken);

    public async Task<UcResult<UcLicenseMode>> GetLicenseModeAsync(UcTarget target, CancellationToken cancellationToken)
    {
        // Read as a change from and to the same mode, since CallAsync maps to reference types (null = unreadable).
        var read = await CallAsync(target, api => api.GetLicenseMode(target.Management.BasicParameter(), cancellationToken),
            wire => UcWireMapping.Parse<UcLicenseMode>(wire.LicenseMode) is { } mode ? new UcLicenseModeChange(mode, mode) : null, cancellationToken);
        return read.Select(mode => mode.LicenseMode);
    }

    public Task<UcResult<UcLicenseModeChange>> SetLicenseModeAsync(UcTarget target, UcLicenseMode mode, CancellationToken cancellationToken) =>
        CallAsync(target, api => api.SetLicenseMode(target.Management.BasicParameter(), new LicenseModeWire(mode.ToString()), cancellationToken),
            wire => UcWireMapping.Parse<UcLicenseMode>(wire.LicenseMode) is { } now && UcWireMapping.Parse<UcLicenseMode>(wire.PreviousLicenseMode) is { } before
                ? new UcLicenseModeChange(now, before)
                : null,
            cancellationToken);

    public Task<UcResult<UcTransport>> GetTransportAsync(UcTarget target, CancellationToken cancellationToken) =>
        CallAsync(target, api => api.GetTransport(target.Management.BasicParameter(), cancellationToken), UcWireMapping.ToTransport, cancellationToken);

    public Task<UcResult<UcTransport>> SetTransportAsync(UcTarget target, UcTransport transport, CancellationToken cancellationToken) =>
        CallAsync(target, api => api.SetTransport(target.Management.BasicParameter(), UcWireMapping.ToWire(transport), cancellationToken), UcWireMapping.ToTransport, cancellationToken);

    public Task<UcResult<UcRegistrationAccepted>> RegisterAsync(UcTarget target, string idToken, bool force, CancellationToken cancellationToken) =>
        CallAsync(target, api => api.Register(target.Management.BasicParameter(), new RegisterWire(idToken, force), cancellationToken),
            wire => new UcRegistrationAccepted(wire.RestartSeconds), cancellationToken);

    public Task<UcResult<UcLicensingStatus>> DeregisterAsync(UcTarget target, CancellationToken cancellationToken) =>
        CallAsync(target, api => api.Deregister(target.Management.BasicParameter(), cancellationToken), UcWireMapping.ToStatus, cancellationToken);

    private async Task<UcResult<T>> CallAsync<TWire, T>(
        UcTarget target, Func<IUcLicensingApi, Task<IApiResponse<TWire>>> call, Func<TWire, T?> map, CancellationToken cancellationToken)
    {
        if (!target.Management.IsReadable || !target.Platform.IsReadable)
        {
            return UcResult.Fail<T>(UcFailure.CredentialsRefused, $"{target.ClusterName}: the stored credentials cannot be decrypted or were entered for another publisher address; enter them again in the inventory");
        }

        // Checked at every call, not only when the address was entered: a narrowed allow-list takes effect at once.
        if (!allowList.Allows(target.PublisherAddress))
        {
            return UcResult.Fail<T>(UcFailure.Refused, $"{target.ClusterName}: the publisher address is not in {PublisherAllowList.Section}; nothing was sent", "publisher_not_allowed");
        }

        try
        {
            using var response = await call(Api(target));
            if (response.IsSuccessStatusCode)
            {
                return response.Content is { } content && map(content) is { } value
                    ? UcResult.Ok(value)
                    : UcResult.Fail<T>(UcFailure.Unexpected, $"{target.ClusterName}: the publisher's answer could not be read");
            }

            // Refit hands a request that never got an answer back as an error without a status code.
            return response.StatusCode is null && response.Error is { } error
                ? FromException<T>(target, error.InnerException ?? error, cancellationToken)
                : FromStatus<T>(target, response.StatusCode, (response.Error as ApiException)?.Content);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return FromException<T>(target, exception, cancellationToken);
        }
    }

    private UcResult<T> FromException<T>(UcTarget target, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // CHPA is stopping: the message goes back to the queue rather than being answered with a made-up cause.
            throw exception;
        }

        return exception switch
        {
            TimeoutRejectedException or OperationCanceledException or TimeoutException =>
                UcResult.Fail<T>(UcFailure.TimedOut, $"{target.ClusterName}: the publisher did not answer within {options.Value.AttemptTimeout.TotalSeconds:0.#} s"),
            // The message names the host and the socket error, never the request's headers.
            HttpRequestException => UcResult.Fail<T>(UcFailure.Unreachable, $"{target.ClusterName}: {exception.Message}"),
            _ => UcResult.Fail<T>(UcFailure.Unexpected, $"{target.ClusterName}: the publisher's answer could not be read ({exception.GetType().Name})"),
        };
    }

    private static UcResult<T> FromStatus<T>(UcTarget target, HttpStatusCode? status, string? body)
    {
        var code = (int?)status ?? 0;
        return code switch
        {
            401 or 403 => UcResult.Fail<T>(UcFailure.CredentialsRefused, $"{target.ClusterName}: the publisher refused the credentials ({code})"),
            503 => UcResult.Fail<T>(UcFailure.Restarting, $"{target.ClusterName}: the publisher is restarting (503)"),
            408 => UcResult.Fail<T>(UcFailure.TimedOut, $"{target.ClusterName}: the publisher timed out (408)"),
            >= 500 => UcResult.Fail<T>(UcFailure.Unreachable, $"{target.ClusterName}: the publisher kept failing ({code})"),
            >= 400 => Refused<T>(target, code, body),
            _ => UcResult.Fail<T>(UcFailure.Unexpected, $"{target.ClusterName}: unexpected answer {code}"),
        };
    }

    private static UcResult<T> Refused<T>(UcTarget target, int code, string? body)
    {
        ErrorWire? error = null;
        try
        {
            error = body is null ? null : JsonSerializer.Deserialize<ErrorWire>(body, ErrorJson);
        }
        catch (JsonException)
        {
            // Not the simulator's error shape: the status code alone must do.
        }

        return UcResult.Fail<T>(UcFailure.Refused, $"{target.ClusterName}: {error?.ErrorDescription ?? $"refused ({code})"}", error?.Error ?? $"http_{code}");
    }

    private IUcLicensingApi Api(UcTarget target)
    {
        // One HttpClient per call from the factory (its handlers are pooled), pointed at this cluster's publisher.
        var http = httpClients.CreateClient(UcHttpClientRegistration.ClientName);
        http.BaseAddress = options.Value.BaseAddressFor(target.PublisherAddress);
        return RestService.ForGenerated<IUcLicensingApi>(http, Settings);
    }
}
