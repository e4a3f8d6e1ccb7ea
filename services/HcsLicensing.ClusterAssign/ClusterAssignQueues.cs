namespace HcsLicensing.ClusterAssign;

/// <summary>ClusterAssign's queues (before the deployment's endpoint prefix).</summary>
public static class ClusterAssignQueues
{
    /// <summary>The ClusterOperation saga: typed requests (MassTransit envelope), CHPA's and SmartAccountSync's answers.</summary>
    public const string Operations = "cluster-operations";

    /// <summary>Plain JSON requests from publishers that are not .NET: one queue per request type, since plain JSON names no type.</summary>
    public const string AssignmentJson = "cluster-assignment-requests";

    public const string UnassignmentJson = "cluster-unassignment-requests";

    public const string ReassignmentJson = "cluster-reassignment-requests";
}
