namespace HcsLicensing.Contracts.ClusterAssignments;

/// <summary>The verdict on a cluster operation request, spelled as in HCM-F's ClusterAssignmentResp.</summary>
public enum SmartLicResponseCode
{
    /// <summary>The request was accepted and verified: its job runs (or already succeeded).</summary>
    PASS,

    /// <summary>The request was refused or failed verification; <c>ResponseReason</c> says why.</summary>
    FAIL,
}
