namespace HcsLicensing.Contracts.Chpa;

/// <summary>A UC application's license (deployment) mode; HLM moves a cluster to HCS before registering it.</summary>
public enum UcLicenseMode
{
    /// <summary>Enterprise licensing: the mode a cluster installed outside HCS starts in.</summary>
    Enterprise,

    /// <summary>Hosted Collaboration Solution licensing, required for registration through HCM-F.</summary>
    HCS,
}
