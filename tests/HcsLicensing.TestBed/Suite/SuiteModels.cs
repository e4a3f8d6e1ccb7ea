namespace HcsLicensing.TestBed.Suite;

// What the suite's helpers read from the services' and simulators' HTTP APIs: the fields tests assert on, as the
// wire carries them (enums by name, as strings), declared here so that the test bed need not reference the services.

/// <summary>The smart account <see cref="HcsSuite.ConfigureSmartAccountAsync"/> connected, after its first sync succeeded.</summary>
/// <param name="VirtualAccounts">The first few synced VA names, in name order (HCS-CUST-0001 first: CSSM's default VA).</param>
/// <param name="SatelliteVirtualAccount">A VA the CSSM simulator marks satellite-synced (SmartAccountSync skips those); null if it seeds none.</param>
public sealed record SmartAccountInfo(
    Guid Id,
    string Domain,
    string Name,
    Guid SyncJobId,
    SuiteJob SyncJob,
    int VirtualAccountCount,
    IReadOnlyList<string> VirtualAccounts,
    string? SatelliteVirtualAccount);

/// <summary>JobTracker's GET /jobs/{id}. Status is the Jobs page's word: "In Progress", "Succeeded", "Failed", "Canceled".</summary>
public sealed record SuiteJob(
    Guid JobId,
    string JobType,
    string EntityType,
    string EntityName,
    string Description,
    string Status,
    IReadOnlyList<SuiteJobStep> ProgressInfo,
    string? ErrorDescription,
    string? FailedStep,
    string? RecommendedAction,
    int Attempt,
    DateTimeOffset InitiatedAt,
    DateTimeOffset? CompletedAt)
{
    /// <summary>JobTracker's JobRules.PlaceholderEntityName: the job was reported before its JobCreated was applied.</summary>
    public const string PlaceholderEntityName = "(not yet known)";

    public bool HasEnded => Status is "Succeeded" or "Failed" or "Canceled";

    /// <summary>Whether an operator may restart the job (JobTracker's isRestartable).</summary>
    public bool IsRestartable { get; init; }

    /// <summary>Whether JobCreated has been applied (entity name, type and steps known).</summary>
    public bool HasDetails => EntityName != PlaceholderEntityName;

    /// <summary>
    /// Whether JobTracker has applied all of the job's events that a test reads at its end: it has ended, its JobCreated
    /// is in, and a Succeeded job shows every step Pass or Not Applicable (its last step events may land after its
    /// JobSucceeded).
    /// </summary>
    public bool HasSettled => HasEnded && HasDetails
        && (Status != "Succeeded" || ProgressInfo.All(s => s.Status is "Pass" or "Not Applicable"));
}

/// <summary>One entry of a job's progressInfo, e.g. Verification / Pass.</summary>
public sealed record SuiteJobStep(string Step, string Status, string? Detail);

/// <summary>A cluster as CHPA's inventory shows it (GET /clusters), without credentials.</summary>
public sealed record ChpaCluster(
    string Name,
    string Type,
    string Version,
    string PublisherAddress,
    string? SmartAccountDomain,
    string? VirtualAccount,
    string? RegistrationState,
    string? LicenseMode,
    bool HasManagementCredentials,
    bool HasPlatformCredentials);

/// <summary>The UC simulator's own view of a cluster (GET /admin/clusters/{name}): what the cluster itself believes.</summary>
public sealed record UcClusterView(
    string Name,
    string Type,
    string Version,
    string Publisher,
    string LicenseMode,
    UcRegistrationView Registration,
    string Authorization,
    bool Restarting,
    int RegisterRequests);

/// <summary>A UC cluster's registration: State is Unregistered, Inprogress, Registered or Failed.</summary>
public sealed record UcRegistrationView(
    string State,
    string? SmartAccountDomain,
    string? VirtualAccount,
    string? ProductInstanceId,
    string? FailureReason,
    DateTimeOffset? LastAttemptAt);

/// <summary>A product instance registered in a VA, as the CSSM simulator holds it (its inspection endpoint).</summary>
public sealed record CssmProductInstance(
    Guid ProductInstanceId,
    string ProductInstanceName,
    string ProductType,
    string Version,
    DateTimeOffset RegisteredAt);

/// <summary>A user name and password of a UC cluster (management: licensing API; platform: OS administration).</summary>
public sealed record UcCredentials(string UserName, string Password);
