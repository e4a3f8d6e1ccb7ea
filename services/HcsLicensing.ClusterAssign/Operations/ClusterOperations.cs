using HcsLicensing.ClusterAssign.Operations.Steps;
using HcsLicensing.Contracts.ClusterAssignments;

namespace HcsLicensing.ClusterAssign.Operations;

/// <summary>Each operation as the ordered list of its steps; <see cref="ClusterOperationFlow"/> runs whichever list it is given.</summary>
public sealed class ClusterOperations(IReadOnlyList<OperationStep> assignment, IReadOnlyList<OperationStep> unassignment, IReadOnlyList<OperationStep> reassignment)
{
    private static readonly Verification Verification = new();
    private static readonly LicenseModeChange LicenseModeChange = new();
    private static readonly TransportModeChange TransportModeChange = new();
    private static readonly Deregistration Deregistration = new();
    private static readonly Registration Registration = new();

    /// <summary>HLM's three operations, with their steps as HCM-F's Jobs page lists them.</summary>
    public static ClusterOperations Hcs { get; } = new(
        assignment: [Verification, LicenseModeChange, TransportModeChange, Registration],
        unassignment: [Verification, Deregistration],
        reassignment: [Verification, Deregistration, Registration]);

    public IReadOnlyList<OperationStep> For(ClusterOperationType operation) => operation switch
    {
        ClusterOperationType.Assignment => assignment,
        ClusterOperationType.Unassignment => unassignment,
        _ => reassignment,
    };

    /// <summary>The step names of <paramref name="operation"/>, for the job's step list.</summary>
    public IReadOnlyList<string> Names(ClusterOperationType operation) => [.. For(operation).Select(s => s.Name)];

    /// <summary>The step of <paramref name="operation"/> named <paramref name="name"/>, if it has one.</summary>
    public OperationStep? Find(ClusterOperationType operation, string? name) => For(operation).FirstOrDefault(s => s.Name == name);

    /// <summary>The step after <paramref name="step"/> in <paramref name="operation"/>, or null after the last.</summary>
    public OperationStep? After(ClusterOperationType operation, OperationStep step)
    {
        var steps = For(operation);
        var index = steps.ToList().IndexOf(step);
        return index >= 0 && index + 1 < steps.Count ? steps[index + 1] : null;
    }

    /// <summary>Every message any step waits for, once per message type: what the state machine subscribes to.</summary>
    public IEnumerable<AnswerRoute> Routes =>
        new[] { assignment, unassignment, reassignment }.SelectMany(o => o).Distinct().SelectMany(s => s.Routes).DistinctBy(r => r.MessageType);
}
