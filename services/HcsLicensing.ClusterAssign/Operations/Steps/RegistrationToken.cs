using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.SmartAccounts;

namespace HcsLicensing.ClusterAssign.Operations.Steps;

/// <summary>The registration token request to SmartAccountSync, which Verification and Registration both send, and its refusals as advice.</summary>
public static class RegistrationToken
{
    public static GetRegistrationTokenRequest Request(ClusterOperationState s) => new()
    {
        SmartAccountDomain = s.TargetDomain!,
        VirtualAccountName = s.TargetVirtualAccount!,
        Purpose = $"{s.Operation} of cluster {s.ClusterName} (job {s.JobId})",
    };

    public static Failure Advice(RegistrationTokenRefused refused)
    {
        var va = $"{refused.SmartAccountDomain}/{refused.VirtualAccountName}";
        return refused.Reason switch
        {
            RegistrationTokenRefusalReason.UnknownSmartAccount => new(SmartLicResponseReason.SmartLicUnknownSmartAccount,
                $"Smart account {refused.SmartAccountDomain} is not configured: {refused.Detail}",
                "Configure the smart account in SmartAccountSync (POST /smart-accounts), then send the request again", false),
            RegistrationTokenRefusalReason.UnknownVirtualAccount => new(SmartLicResponseReason.SmartLicUnknownVirtualAccount,
                $"Virtual account {va} is unknown: {refused.Detail}",
                "Sync the smart account's virtual accounts and check the name, then send the request again", false),
            RegistrationTokenRefusalReason.SatelliteSynced => new(SmartLicResponseReason.SmartLicSatelliteSynced,
                $"Virtual account {va} is synced through a satellite: {refused.Detail}",
                "Choose a virtual account that is not synced through a satellite", false),
            _ => new(SmartLicResponseReason.SmartLicCssmUnavailable,
                $"No registration token for {va}: {refused.Detail}",
                "Check CSSM connectivity (SmartAccountSync's transport settings), then restart the job", true),
        };
    }
}
