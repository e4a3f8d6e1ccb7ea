using HcsLicensing.Chpa.Data;
using HcsLicensing.Chpa.Inventory;
using HcsLicensing.Chpa.LicensingRequests;
using HcsLicensing.Chpa.UcApplications;
using HcsLicensing.Contracts.Chpa;

namespace HcsLicensing.Chpa.Registration;

/// <summary>The answer to a waiting registration, or null to keep waiting; and what the poll saw.</summary>
public sealed record RegistrationVerdict(RegisterClusterResponse? Answer, string Seen)
{
    /// <summary>
    /// Reads the waiting cluster once, as a poll and the sweeper both do: the inventory records the state it shows (the
    /// Cluster Summary's Smart Account column) and <see cref="Decide"/> judges it. A cluster removed from the inventory
    /// meanwhile fails as unknown.
    /// </summary>
    public static async Task<RegistrationVerdict> ReadAsync(RegistrationWait wait, ClusterDirectory clusters, IUcApplicationClient uc, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await clusters.FindAsync(wait.ClusterName, cancellationToken) is not { } target)
        {
            var gone = new RegisterClusterResponse
            {
                ClusterName = wait.ClusterName,
                SessionId = wait.SessionId,
                ResponseCode = ChpaResponseCode.FAIL,
                ResponseReason = ChpaResponseReason.chpaUnknownCluster,
                ResponseDescription = "the cluster was removed from the inventory while registering",
            };
            return new RegistrationVerdict(gone, "removed");
        }

        var status = await uc.GetStatusAsync(target, cancellationToken);
        if (status.IsOk)
        {
            await clusters.RecordStatusAsync(wait.ClusterName, status.Value!, cancellationToken);
        }

        return Decide(wait, status, now);
    }

    /// <summary>
    /// Decides from one status read: Registered passes; Failed fails with the token or another cause; Unregistered
    /// after the restart means the register did not take (or, when its outcome was unknown, never arrived);
    /// Inprogress, 503 or silence wait on until the deadline, which answers chpaTimedOut.
    /// </summary>
    public static RegistrationVerdict Decide(RegistrationWait wait, UcResult<UcLicensingStatus> status, DateTimeOffset now)
    {
        var answer = new RegisterClusterResponse
        {
            ClusterName = wait.ClusterName,
            SessionId = wait.SessionId,
            ResponseCode = ChpaResponseCode.FAIL,
            ResponseReason = ChpaResponseReason.chpaTimedOut,
        };
        var seen = status.IsOk ? status.Value!.RegistrationState.ToString() : status.Failure.ToString()!;
        if (status.IsOk)
        {
            var state = status.Value!;
            var withState = answer with
            {
                RegistrationState = state.RegistrationState,
                AuthorizationState = state.AuthorizationState,
                SmartAccountDomain = state.SmartAccountDomain,
                VirtualAccount = state.VirtualAccount,
                ProductInstanceId = state.ProductInstanceId,
            };
            switch (state.RegistrationState)
            {
                case UcRegistrationState.Registered:
                    return new(withState with { ResponseCode = ChpaResponseCode.PASS, ResponseReason = ChpaResponseReason.chpaNoError, ResponseDescription = $"registered in {state.SmartAccountDomain}/{state.VirtualAccount}", Changed = true }, seen);
                case UcRegistrationState.Failed:
                    var tokenRefused = state.FailureReason?.StartsWith("invalid_token", StringComparison.OrdinalIgnoreCase) == true;
                    return new(withState with { ResponseReason = tokenRefused ? ChpaResponseReason.chpaTokenRejected : ChpaResponseReason.chpaRegistrationFailed, ResponseDescription = state.FailureReason }, seen);
                case UcRegistrationState.Unregistered:
                    var reason = wait.OutcomeUnknown && Enum.TryParse<ChpaResponseReason>(wait.UnknownCause, out var cause) ? cause : ChpaResponseReason.chpaRegistrationFailed;
                    return new(withState with { ResponseReason = reason, ResponseDescription = "the publisher is not registering: the register did not take effect" }, seen);
            }
        }
        else if (status.Failure == UcFailure.CredentialsRefused)
        {
            // A restart does not change which credentials a publisher accepts: waiting on would only delay the same answer.
            return new(answer with { ResponseReason = ChpaReasons.For(status.Failure), ResponseDescription = status.Detail }, seen);
        }

        return now >= wait.Deadline
            ? new(answer with { ResponseDescription = $"the registration did not finish by {wait.Deadline:O}; last seen: {seen}" }, seen)
            : new(null, seen);
    }
}
