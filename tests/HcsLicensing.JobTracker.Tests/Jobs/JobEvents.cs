using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;

namespace HcsLicensing.JobTracker.Tests.Jobs;

/// <summary>The events of the seed's cluster assignment job (cl1-alfa to HCS-DEMO; its entity is the cluster), for the tests to vary.</summary>
internal static class JobEvents
{
    public const string Verification = ClusterOperationSteps.Verification;
    public const string LicenseModeChange = ClusterOperationSteps.LicenseModeChange;
    public const string TransportModeChange = ClusterOperationSteps.TransportModeChange;
    public const string Registration = ClusterOperationSteps.Registration;

    public static readonly DateTimeOffset Initiated = new(2026, 11, 27, 15, 51, 33, TimeSpan.Zero);
    public static readonly DateTimeOffset Completed = new(2026, 11, 27, 15, 52, 40, TimeSpan.Zero);

    public static JobCreated Created(Guid jobId, string entityName = "cl1-alfa", DateTimeOffset? initiatedAt = null) => new()
    {
        JobId = jobId,
        EntityType = "Cluster",
        EntityName = entityName,
        Description = $"Assignment of Cluster {entityName} to HCS-DEMO started",
        Steps = [Verification, LicenseModeChange, TransportModeChange, Registration],
        InitiatedAt = initiatedAt ?? Initiated,
    };

    public static JobStepChanged Step(Guid jobId, string step, JobStepStatus status, string? detail = null) => new()
    {
        JobId = jobId,
        Step = step,
        Status = status,
        Detail = detail,
        OccurredAt = Initiated.AddSeconds(10),
    };

    public static JobSucceeded Succeeded(Guid jobId, string? description = null) => new()
    {
        JobId = jobId,
        Description = description,
        CompletedAt = Completed,
    };

    public static JobFailed Failed(Guid jobId, string failedStep) => new()
    {
        JobId = jobId,
        FailedStep = failedStep,
        ErrorDescription = "Platform credentials rejected by cl1-alfa",
        RecommendedAction = "Check the cluster's platform credentials, then restart the job",
        IsRestartable = true,
        FailedAt = Completed,
    };

    public static JobCanceled Canceled(Guid jobId) => new()
    {
        JobId = jobId,
        Reason = "operator request",
        CanceledAt = Completed,
    };
}
