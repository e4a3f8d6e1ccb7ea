namespace HcsLicensing.SmartAccountSync.VirtualAccounts;

/// <summary>A row of HCM-F's Virtual Account Summary (Name, SA Name, Access Level) with the Edit page's details.</summary>
public sealed record VirtualAccountDto(
    Guid Id,
    string Name,
    string Description,
    Guid SmartAccountId,
    string SmartAccountName,
    string SmartAccountDomain,
    string AccessLevel,
    bool IsDefault,
    DateTimeOffset FirstSyncedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? RemovedAt);
