using HcsLicensing.Contracts.Jobs;

namespace HcsLicensing.JobTracker.Jobs;

/// <summary>One line of a job's progressInfo, e.g. "Verification - Pass".</summary>
public sealed class JobStep
{
    /// <summary>The step's name as the job's owner lists it, e.g. "License Mode Change".</summary>
    public required string Name { get; set; }

    public JobStepStatus Status { get; set; }

    /// <summary>What happened at the step's last accepted change, for the operator.</summary>
    public string? Detail { get; set; }
}
