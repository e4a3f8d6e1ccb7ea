namespace HcsLicensing.Contracts.Jobs;

/// <summary>The status of one step of a job's progressInfo, with HCM-F's values.</summary>
public enum JobStepStatus
{
    /// <summary>Not reached yet.</summary>
    NotStarted,

    /// <summary>Running now (HCM-F spells it "Inprogress").</summary>
    Inprogress,

    /// <summary>Done.</summary>
    Pass,

    /// <summary>Failed; the job fails with it.</summary>
    Fail,

    /// <summary>Its target state already held, so nothing was done.</summary>
    NotApplicable,
}
