namespace HcsLicensing.Contracts.Chpa;

/// <summary>A UC application's Smart Licensing authorization state (the Smart Agent's names, in Pascal case).</summary>
public enum UcAuthorizationState
{
    /// <summary>No authorization yet.</summary>
    None,

    /// <summary>In the 90-day evaluation period a new cluster starts in.</summary>
    Eval,

    /// <summary>Evaluation over without registration: no new users or devices can be added.</summary>
    EvalExpired,

    /// <summary>Registered and in compliance.</summary>
    Authorized,

    /// <summary>Registered but using more licenses than the virtual account holds.</summary>
    OutOfCompliance,

    /// <summary>Registered but the authorization was not renewed in time.</summary>
    AuthorizationExpired,
}
