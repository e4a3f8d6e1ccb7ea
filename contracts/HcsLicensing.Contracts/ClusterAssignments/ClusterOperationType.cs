namespace HcsLicensing.Contracts.ClusterAssignments;

/// <summary>The three cluster operations of HCM-F's Hosted License Manager.</summary>
public enum ClusterOperationType
{
    /// <summary>Cluster Assignment: to a virtual account.</summary>
    Assignment,

    /// <summary>Cluster UnAssignment: from its virtual account.</summary>
    Unassignment,

    /// <summary>Cluster ReAssignment: from one virtual account to another.</summary>
    Reassignment,
}
