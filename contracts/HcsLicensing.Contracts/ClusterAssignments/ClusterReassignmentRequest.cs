namespace HcsLicensing.Contracts.ClusterAssignments;

/// <summary>
/// Move a UC cluster from its virtual account to another (HCM-F's Cluster ReAssignment): Verification, Deregistration
/// from the old one, Registration with a token of the new one. Answered by <see cref="ClusterAssignmentResp"/>.
/// </summary>
public sealed record ClusterReassignmentRequest
{
    /// <summary>The caller's id for this request: the same id again finds the same job and starts nothing new.</summary>
    public required string RequestId { get; init; }

    /// <summary>The cluster as named in CHPA's inventory.</summary>
    public required string ClusterName { get; init; }

    /// <summary>The domain of the smart account of the new virtual account.</summary>
    public required string SmartAccountDomain { get; init; }

    /// <summary>The virtual account to move the cluster to.</summary>
    public required string VirtualAccountName { get; init; }

    /// <summary>Who asked, for the job's record.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>
    /// Deregister and register again even when the cluster already reports that virtual account: CSSM's portal may have
    /// moved its product instance elsewhere without telling the cluster (the license audit's repair of such a drift).
    /// </summary>
    public bool ReRegister { get; init; }
}
