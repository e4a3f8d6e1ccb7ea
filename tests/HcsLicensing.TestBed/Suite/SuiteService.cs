namespace HcsLicensing.TestBed.Suite;

/// <summary>
/// The processes of an <see cref="HcsSuite"/>, in the order the suite lists them: the token issuer first. The operator
/// console runs only in a suite started with <see cref="SuiteOptions.WithConsole"/>.
/// </summary>
public enum SuiteService
{
    Identity,
    CssmSimulator,
    UcSimulator,
    JobTracker,
    SmartAccountSync,
    Chpa,
    ClusterAssign,
    Console,
}
