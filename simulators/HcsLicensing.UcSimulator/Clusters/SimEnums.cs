namespace HcsLicensing.UcSimulator.Clusters;

/// <summary>License (deployment) mode of a simulated UC application.</summary>
public enum SimLicenseMode
{
    Enterprise,
    HCS,
}

/// <summary>How a simulated UC application reaches CSSM.</summary>
public enum SimTransportMode
{
    Direct,
    Proxy,
    TransportGateway,
}

/// <summary>Registration state, with the names Cisco's registration app shows.</summary>
public enum SimRegistrationState
{
    Unregistered,
    Inprogress,
    Registered,
    Failed,
}

/// <summary>Authorization state of the Smart Agent.</summary>
public enum SimAuthorizationState
{
    None,
    Eval,
    EvalExpired,
    Authorized,
    OutOfCompliance,
    AuthorizationExpired,
}
