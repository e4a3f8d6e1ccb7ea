using HcsLicensing.Contracts.ClusterAssignments;

namespace HcsLicensing.ClusterAssign.Operations;

/// <summary>The job steps of each operation, named as HCM-F's Jobs page shows them.</summary>
public static class OperationSteps
{
    public const string Verification = "Verification";
    public const string LicenseModeChange = "License Mode Change";
    public const string TransportModeChange = "Transport Mode Change";
    public const string Deregistration = "Deregistration";
    public const string Registration = "Registration";

    private static readonly string[] Assignment = [Verification, LicenseModeChange, TransportModeChange, Registration];
    private static readonly string[] Unassignment = [Verification, Deregistration];
    private static readonly string[] Reassignment = [Verification, Deregistration, Registration];

    public static IReadOnlyList<string> For(ClusterOperationType operation) => operation switch
    {
        ClusterOperationType.Assignment => Assignment,
        ClusterOperationType.Unassignment => Unassignment,
        _ => Reassignment,
    };

    /// <summary>The step after <paramref name="step"/> in <paramref name="operation"/>, or null after the last.</summary>
    public static string? After(ClusterOperationType operation, string step)
    {
        var steps = For(operation);
        var index = steps.ToList().IndexOf(step);
        return index >= 0 && index + 1 < steps.Count ? steps[index + 1] : null;
    }

    /// <summary>An operator may cancel a job until it begins changing the cluster's registration.</summary>
    public static bool IsCancelable(string step) => step is not (Deregistration or Registration);
}
