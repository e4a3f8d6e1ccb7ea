namespace HcsLicensing.Contracts.SmartAccounts;

/// <summary>Why SmartAccountSync refused a registration token.</summary>
public enum RegistrationTokenRefusalReason
{
    /// <summary>No smart account with that domain is configured.</summary>
    UnknownSmartAccount,

    /// <summary>The smart account has no such virtual account (never synced, or removed from CSSM since).</summary>
    UnknownVirtualAccount,

    /// <summary>The virtual account is synced through a satellite; HCM-F ignores such virtual accounts.</summary>
    SatelliteSynced,

    /// <summary>CSSM could not be reached or refused the call; asking again later may work.</summary>
    CssmUnavailable,
}
