namespace HcsLicensing.TestBed.Suite;

/// <summary>The six processes of an <see cref="HcsSuite"/>, in the order the suite lists them.</summary>
public enum SuiteService
{
    CssmSimulator,
    UcSimulator,
    JobTracker,
    SmartAccountSync,
    Chpa,
    ClusterAssign,
}
