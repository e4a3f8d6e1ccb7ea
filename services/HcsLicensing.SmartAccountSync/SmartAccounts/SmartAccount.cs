namespace HcsLicensing.SmartAccountSync.SmartAccounts;

/// <summary>A connected smart account: its domain, the name CSSM gave it, its API client, and the state of its syncs.</summary>
public sealed class SmartAccount
{
    public Guid Id { get; set; }

    /// <summary>Lower case; unique.</summary>
    public string Domain { get; set; } = "";

    /// <summary>The Smart Account Name, from CSSM's v2/accounts.</summary>
    public string Name { get; set; } = "";

    /// <summary>CUSTOMER or HOLDING: the path segment of swapi's VA list.</summary>
    public string AccountType { get; set; } = "CUSTOMER";

    public string ClientId { get; set; } = "";

    /// <summary>The client secret as ASP.NET Core Data Protection's ciphertext; the plain secret is never stored.</summary>
    public string ProtectedClientSecret { get; set; } = "";

    public DateTimeOffset ConfiguredAt { get; set; }

    public DateTimeOffset? LastSyncStartedAt { get; set; }

    public DateTimeOffset? LastSyncedAt { get; set; }

    public Guid? LastSyncJobId { get; set; }

    /// <summary>Names of the VAs CSSM syncs through a satellite, ignored at the last sync (kept to explain a refused token).</summary>
    public List<string> SatelliteVirtualAccounts { get; set; } = [];
}
