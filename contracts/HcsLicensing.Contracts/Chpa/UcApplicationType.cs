namespace HcsLicensing.Contracts.Chpa;

/// <summary>The HCS UC application types a cluster can be (HCM-F's Cluster Summary "Type" column).</summary>
public enum UcApplicationType
{
    /// <summary>Cisco Unified Communications Manager.</summary>
    CUCM,

    /// <summary>Cisco Unity Connection.</summary>
    CUCXN,

    /// <summary>IM and Presence.</summary>
    IMP,

    /// <summary>Unified Contact Center Express.</summary>
    UCCX,

    /// <summary>Emergency Responder.</summary>
    CER,

    /// <summary>Expressway.</summary>
    EXPRESSWAY,
}
