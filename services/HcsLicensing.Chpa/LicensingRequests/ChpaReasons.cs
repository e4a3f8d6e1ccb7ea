using HcsLicensing.Chpa.UcApplications;
using HcsLicensing.Contracts.Chpa;

namespace HcsLicensing.Chpa.LicensingRequests;

/// <summary>What each way a publisher call can fail means to CHPA's callers.</summary>
public static class ChpaReasons
{
    public static ChpaResponseReason For(UcFailure? failure) => failure switch
    {
        null => ChpaResponseReason.chpaNoError,
        UcFailure.Unreachable or UcFailure.Restarting => ChpaResponseReason.chpaClusterUnreachable,
        UcFailure.TimedOut => ChpaResponseReason.chpaTimedOut,
        UcFailure.CredentialsRefused => ChpaResponseReason.chpaCredentialsRefused,
        UcFailure.Refused => ChpaResponseReason.chpaInvalidRequest,
        _ => ChpaResponseReason.chpaUnexpectedAnswer,
    };

    /// <summary>True when the publisher answered at all (a refusal is an answer; silence and 503 are not).</summary>
    public static bool Answered(UcFailure? failure) => failure is not (UcFailure.Unreachable or UcFailure.TimedOut or UcFailure.Restarting);

    public static string UnknownCluster(string clusterName) => $"the inventory has no cluster named '{clusterName}'";
}
