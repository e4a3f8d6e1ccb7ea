namespace HcsLicensing.TestBed.Suite;

/// <summary>The seven processes of an <see cref="HcsSuite"/>, in the order the suite lists them: the token issuer first.</summary>
public enum SuiteService
{
    Identity,
    CssmSimulator,
    UcSimulator,
    JobTracker,
    SmartAccountSync,
    Chpa,
    ClusterAssign,
}
