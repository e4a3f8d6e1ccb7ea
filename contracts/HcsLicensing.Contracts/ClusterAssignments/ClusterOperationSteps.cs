namespace HcsLicensing.Contracts.ClusterAssignments;

/// <summary>
/// The step names of the cluster operations' jobs (<see cref="Jobs.JobCreated.Steps"/>, <see cref="Jobs.JobStepChanged.Step"/>),
/// spelled as HCM-F's Jobs page shows them. Constants only, so that every service and test names a step the same way.
/// </summary>
public static class ClusterOperationSteps
{
    /// <summary>The virtual account and the cluster are checked; first in every operation.</summary>
    public const string Verification = "Verification";

    /// <summary>The UC application's license mode is set to HCS (Assignment).</summary>
    public const string LicenseModeChange = "License Mode Change";

    /// <summary>The UC application's transport to CSSM is set to the configured one (Assignment).</summary>
    public const string TransportModeChange = "Transport Mode Change";

    /// <summary>The cluster is deregistered from its virtual account (UnAssignment, ReAssignment).</summary>
    public const string Deregistration = "Deregistration";

    /// <summary>The cluster is registered in the target virtual account (Assignment, ReAssignment).</summary>
    public const string Registration = "Registration";
}
