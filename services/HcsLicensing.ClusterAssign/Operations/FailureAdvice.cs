using HcsLicensing.Contracts.Chpa;
using HcsLicensing.Contracts.ClusterAssignments;

namespace HcsLicensing.ClusterAssign.Operations;

/// <summary>A step's failure as the operator reads it: the reason code, the error, what to do, and whether a restart can help.</summary>
public sealed record Failure(SmartLicResponseReason Reason, string Error, string RecommendedAction, bool Restartable);

/// <summary>The advice every step shares: CHPA's refusal reasons, timeouts and faults as <see cref="Failure"/>s.</summary>
public static class FailureAdvice
{
    public static Failure FromChpa(string cluster, string operation, ChpaResponseReason reason, string? description)
    {
        var error = $"{operation} of {cluster} failed: {reason}{(string.IsNullOrWhiteSpace(description) ? "" : " (" + description + ")")}";
        return reason switch
        {
            ChpaResponseReason.chpaUnknownCluster => new(SmartLicResponseReason.SmartLicUnknownCluster, error,
                $"Add {cluster} to CHPA's inventory (POST /clusters on Chpa) with its credentials, then send the request again", true),
            ChpaResponseReason.chpaClusterUnreachable => new(SmartLicResponseReason.SmartLicClusterUnreachable, error,
                $"Check that the publisher of {cluster} runs and is reachable from CHPA, then restart the job", true),
            ChpaResponseReason.chpaCredentialsRefused => new(SmartLicResponseReason.SmartLicClusterUnreachable, error,
                $"Update the credentials of {cluster} in CHPA's inventory, then restart the job", true),
            ChpaResponseReason.chpaVersionUnsupported => new(SmartLicResponseReason.SmartLicVersionUnsupported, error,
                $"Upgrade {cluster} to 12.5 or later; Smart Licensing through HCM-F needs it", false),
            ChpaResponseReason.chpaTokenRejected => new(SmartLicResponseReason.SmartLicFailed, error,
                "Check the virtual account's registration tokens in CSSM, then restart the job", true),
            ChpaResponseReason.chpaTimedOut => new(SmartLicResponseReason.SmartLicTimedOut, error,
                $"Check the licensing status of {cluster}'s publisher, then restart the job", true),
            ChpaResponseReason.chpaRegistrationFailed => new(SmartLicResponseReason.SmartLicFailed, error,
                $"Read the registration failure on {cluster} (License Management > Status), correct it, then restart the job", true),
            _ => new(SmartLicResponseReason.SmartLicFailed, error,
                $"Restart the job; if it fails again, read CHPA's log for {cluster}", true),
        };
    }

    public static Failure TimedOut(string cluster, string step, string service, TimeSpan timeout) => new(
        SmartLicResponseReason.SmartLicTimedOut,
        $"{step} of {cluster}: {service} did not answer within {timeout}",
        $"Check that {service} runs and its queue is consumed, then restart the job", true);

    public static Failure Faulted(string cluster, string step, string service, string? error) => new(
        SmartLicResponseReason.SmartLicFailed,
        $"{step} of {cluster}: {service} could not process the request: {error}",
        $"Read {service}'s log and its error queue for {cluster}, then restart the job", true);
}
