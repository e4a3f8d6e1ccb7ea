namespace HcsLicensing.AppHost.Demo;

/// <summary>Where the demo finds each resource; endpoint URLs are known once the orchestrator has allocated them.</summary>
public sealed record DemoEndpoints(
    EndpointReference Identity,
    EndpointReference CssmSimulator,
    EndpointReference UcSimulator,
    EndpointReference JobTracker,
    EndpointReference SmartAccountSync,
    EndpointReference Chpa,
    EndpointReference ClusterAssign,
    string DashboardUrl,
    IReadOnlyList<(string Name, string Address)> Servers,
    EndpointReference? Console = null);
