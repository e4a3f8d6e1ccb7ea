using HcsLicensing.Chpa.UcApplications.Http;
using HcsLicensing.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace HcsLicensing.Chpa.LicensingRequests;

/// <summary>
/// A publisher that is off the network or restarting (503) is waited out, not reported at once: the request is tried
/// again later (<see cref="TryAgainLater"/>) for <see cref="UcClientOptions.UnreachableWaitFor"/> in all, before it is
/// answered chpaClusterUnreachable. Every licensing request reads the publisher's state before it writes, so trying
/// one again never does anything twice.
/// </summary>
public sealed class UnreachablePublisherWait(IOptions<UcClientOptions> options, TimeProvider clock, ILogger<UnreachablePublisherWait> logger)
{
    /// <summary>True when the request will be tried again later (answer nothing now); false to answer the failure now.</summary>
    public async Task<bool> TryAgainLaterAsync<T>(ConsumeContext<T> context, string operation, string clusterName, string? why)
        where T : class
    {
        if (await TryAgainLater.SendAsync(context, options.Value.UnreachableWaitFor, clock) is not { } later)
        {
            return false;
        }

        logger.LogInformation("{Operation} {ClusterName}: the publisher is unreachable ({Why}); trying again in {Pause} (waiting since {Since:u})",
            operation, clusterName, why, later.Pause, later.Since);
        return true;
    }
}
