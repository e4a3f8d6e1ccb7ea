namespace HcsLicensing.Contracts.Chpa;

/// <summary>A UC application's Smart Licensing registration state, with the names Cisco's registration app shows.</summary>
public enum UcRegistrationState
{
    /// <summary>Not registered with CSSM (the Smart Agent's not-registered).</summary>
    Unregistered,

    /// <summary>Registering; the publisher restarts meanwhile (in-progress, retry).</summary>
    Inprogress,

    /// <summary>Registered: the cluster is a product instance of a virtual account (complete).</summary>
    Registered,

    /// <summary>The last registration failed (failed).</summary>
    Failed,
}
