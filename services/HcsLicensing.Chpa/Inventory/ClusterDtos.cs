using HcsLicensing.Chpa.Data;
using HcsLicensing.Contracts.Chpa;

namespace HcsLicensing.Chpa.Inventory;

/// <summary>POST /clusters and PUT /clusters/{name} body. Strings throughout, so that every bad value is reported by field.</summary>
public sealed record ClusterInputDto(
    string? Name,
    string? Type,
    string? Version,
    string? PublisherAddress,
    CredentialsInputDto? ManagementCredentials,
    CredentialsInputDto? PlatformCredentials);

/// <summary>A user name and password as entered; write-only: no answer ever contains them.</summary>
public sealed record CredentialsInputDto(string? UserName, string? Password);

/// <summary>A cluster as the inventory shows it (HCM-F's Cluster Summary: Name, Type, Version, Smart Account), without credentials.</summary>
public sealed record ClusterDto(
    string Name,
    UcApplicationType Type,
    string Version,
    string PublisherAddress,
    string? SmartAccountDomain,
    string? VirtualAccount,
    UcRegistrationState? RegistrationState,
    UcLicenseMode? LicenseMode,
    string? ReportedVersion,
    DateTimeOffset? LastContactAt,
    bool HasManagementCredentials,
    bool HasPlatformCredentials,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static ClusterDto From(ClusterRecord record) => new(
        record.Name,
        record.Type,
        record.Version,
        record.PublisherAddress,
        record.SmartAccountDomain,
        record.VirtualAccount,
        record.RegistrationState,
        record.LicenseMode,
        record.ReportedVersion,
        record.LastContactAt,
        record.ManagementCredentials.Length > 0,
        record.PlatformCredentials.Length > 0,
        record.CreatedAt,
        record.UpdatedAt);
}

/// <summary>GET /clusters: one page, in name order.</summary>
public sealed record ClusterPageDto(IReadOnlyList<ClusterDto> Items, int Page, int PageSize, int TotalCount);
