namespace HcsLicensing.ClusterAssign.Operations;

/// <summary>Where a cluster's current operation stands; every phase but Idle and Failed waits for one answer.</summary>
public enum OperationPhase
{
    /// <summary>No operation runs; the last one (if any) succeeded or was canceled.</summary>
    Idle,

    /// <summary>Verification: SmartAccountSync checks the virtual account (by issuing a registration token).</summary>
    VerifyingVirtualAccount,

    /// <summary>Verification: CHPA checks the cluster (reachable, credentials, version, licensing state).</summary>
    VerifyingCluster,

    /// <summary>License Mode Change: CHPA sets the UC application's license mode to HCS.</summary>
    ChangingLicenseMode,

    /// <summary>Transport Mode Change: CHPA reads the UC application's proxy settings.</summary>
    ReadingTransport,

    /// <summary>Transport Mode Change: CHPA sets the UC application's transport settings.</summary>
    SettingTransport,

    /// <summary>Deregistration: CHPA deregisters the cluster from its virtual account.</summary>
    Deregistering,

    /// <summary>Registration: SmartAccountSync issues a token of the target virtual account.</summary>
    FetchingToken,

    /// <summary>Registration: CHPA registers the cluster and waits for the publisher's restart.</summary>
    Registering,

    /// <summary>The last operation failed; it can be restarted at its failed step.</summary>
    Failed,
}
