namespace HcsLicensing.Contracts.ClusterAssignments;

/// <summary>Why a cluster operation was answered as it was; named after HCM-F's <c>SmartLicNoError</c>.</summary>
public enum SmartLicResponseReason
{
    /// <summary>No error.</summary>
    SmartLicNoError,

    /// <summary>A required field is missing or malformed; <c>ResponseDescription</c> names it.</summary>
    SmartLicInvalidRequest,

    /// <summary>Another operation is running on the cluster; <c>RunningJobId</c> names its job.</summary>
    SmartLicOperationInProgress,

    /// <summary>The cluster is not in CHPA's inventory.</summary>
    SmartLicUnknownCluster,

    /// <summary>The smart account is not configured.</summary>
    SmartLicUnknownSmartAccount,

    /// <summary>The virtual account is not among the smart account's synced virtual accounts.</summary>
    SmartLicUnknownVirtualAccount,

    /// <summary>The virtual account is synced through a satellite, which HCM-F cannot assign clusters to.</summary>
    SmartLicSatelliteSynced,

    /// <summary>The cluster runs a version below 12.5.</summary>
    SmartLicVersionUnsupported,

    /// <summary>The cluster is registered to another virtual account: reassign it instead.</summary>
    SmartLicAssignedElsewhere,

    /// <summary>The cluster did not answer, or refused the credentials in the inventory.</summary>
    SmartLicClusterUnreachable,

    /// <summary>CSSM could not be reached for a registration token.</summary>
    SmartLicCssmUnavailable,

    /// <summary>A service did not answer within the step's timeout.</summary>
    SmartLicTimedOut,

    /// <summary>Any other failure; <c>ResponseDescription</c> says what.</summary>
    SmartLicFailed,
}
