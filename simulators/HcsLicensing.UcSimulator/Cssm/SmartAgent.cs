using System.Text.Json;
using HcsLicensing.UcSimulator.Clusters;
using Refit;

namespace HcsLicensing.UcSimulator.Cssm;

/// <summary>
/// The Smart Agent inside a simulated UC application: registers it with CSSM using an ID token, deregisters it.
/// The outcome of a registration becomes the cluster's state once its publisher has restarted.
/// </summary>
public sealed class SmartAgent(ICssmDeviceApi cssm, TimeProvider clock, ILogger<SmartAgent> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<SimRegistration> RegisterAsync(SimCluster cluster, string idToken)
    {
        var attemptAt = clock.GetUtcNow();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var response = await cssm.Register(new CssmDeviceRegistration(idToken, cluster.Name, cluster.Type, ShortVersion(cluster.Version)), timeout.Token);
            if (response.IsSuccessful && response.Content is { } registered)
            {
                logger.LogInformation("Cluster {Cluster} registered in {Domain}/{VirtualAccount}", cluster.Name, registered.SmartAccountDomain, registered.VirtualAccount);
                return new SimRegistration
                {
                    State = SimRegistrationState.Registered,
                    Authorization = SimAuthorizationState.Authorized,
                    SmartAccountDomain = registered.SmartAccountDomain,
                    VirtualAccount = registered.VirtualAccount,
                    ProductInstanceId = registered.ProductInstanceId,
                    LastAttemptAt = attemptAt,
                };
            }

            var error = ReadError((response.Error as ApiException)?.Content);
            var status = (int?)response.StatusCode ?? 0;
            logger.LogInformation("Cluster {Cluster}: CSSM refused the registration ({Status} {Error})", cluster.Name, status, error.Error);
            return Failed(attemptAt, $"{error.Error ?? "http_" + status}: {error.ErrorDescription}");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            logger.LogInformation("Cluster {Cluster}: CSSM unreachable ({Message})", cluster.Name, exception.Message);
            return Failed(attemptAt, $"cssm_unreachable: {exception.Message}");
        }
    }

    /// <summary>Tells CSSM the product instance is gone; a CSSM that is away or no longer knows it does not stop the deregistration.</summary>
    public async Task DeregisterAsync(SimCluster cluster, SimRegistration before)
    {
        if (before.ProductInstanceId is not { } id)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var response = await cssm.Deregister(id, timeout.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            logger.LogInformation("Cluster {Cluster}: CSSM unreachable on deregister ({Message})", cluster.Name, exception.Message);
        }
    }

    /// <summary>CSSM knows versions as major.minor ("12.5"), the publisher as its full build ("12.5.1.11900-146").</summary>
    private static string ShortVersion(string version) => string.Join('.', version.Split('.').Take(2));

    private static SimRegistration Failed(DateTimeOffset attemptAt, string reason) =>
        new()
        {
            State = SimRegistrationState.Failed,
            Authorization = SimAuthorizationState.Eval,
            FailureReason = reason,
            LastAttemptAt = attemptAt,
        };

    private static CssmDeviceError ReadError(string? body)
    {
        try
        {
            return body is null ? new CssmDeviceError(null, null) : JsonSerializer.Deserialize<CssmDeviceError>(body, Json) ?? new CssmDeviceError(null, null);
        }
        catch (JsonException)
        {
            return new CssmDeviceError(null, body);
        }
    }
}
