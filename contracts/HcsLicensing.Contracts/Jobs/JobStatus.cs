namespace HcsLicensing.Contracts.Jobs;

/// <summary>Where a job stands, as on HCM-F's Jobs page.</summary>
public enum JobStatus
{
    /// <summary>Created and not yet ended (HCM-F: IN_PROGRESS).</summary>
    InProgress,

    /// <summary>Every step passed or was not applicable.</summary>
    Succeeded,

    /// <summary>A step failed; the job names the error and the recommended action.</summary>
    Failed,

    /// <summary>An operator cancelled it and its owner stopped it.</summary>
    Canceled,
}
