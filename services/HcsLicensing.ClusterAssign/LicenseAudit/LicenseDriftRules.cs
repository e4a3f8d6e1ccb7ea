using HcsLicensing.Contracts.Chpa;
using HcsLicensing.Contracts.LicenseAudit;

namespace HcsLicensing.ClusterAssign.LicenseAudit;

/// <summary>A finding as one audit sees it, before it is matched with the open findings.</summary>
public sealed record ObservedFinding(
    LicenseFindingType Type, LicenseFindingSeverity Severity, string ClusterName, string? SmartAccountDomain, string? VirtualAccount, string Summary, LicenseEvidence Evidence);

/// <summary>
/// The comparison of the three views of one cluster: plain C#, no I/O, so every rule is tested without a bus
/// (docs/audit.md lists them). A cluster CHPA's inventory does not have and we never assigned is not ours: CSSM may
/// list devices the partner does not manage through HCS.
/// </summary>
public static class LicenseDriftRules
{
    /// <param name="clusterName">The cluster.</param>
    /// <param name="evidence">Its three views.</param>
    /// <param name="staleBefore">A CSSM instance whose last contact is before this is stale (null: no such check).</param>
    public static IReadOnlyList<ObservedFinding> Compare(string clusterName, LicenseEvidence evidence, DateTimeOffset? staleBefore = null)
    {
        var (intended, cssm, cluster) = (evidence.Intended, evidence.Cssm, evidence.Cluster);
        var findings = new List<ObservedFinding>();
        if (intended is null && (cluster is null || cluster.NotInInventory))
        {
            return findings;
        }

        void Add(LicenseFindingType type, LicenseFindingSeverity severity, string? domain, string? va, string summary) =>
            findings.Add(new ObservedFinding(type, severity, clusterName, domain, va, summary, evidence));

        var clusterUnknown = cluster is not null && !cluster.Known && !cluster.NotInInventory;
        if (clusterUnknown)
        {
            Add(LicenseFindingType.Unreachable, LicenseFindingSeverity.Warning, intended?.SmartAccountDomain, intended?.VirtualAccount,
                $"Cluster {clusterName} could not be verified: {cluster!.Description ?? cluster.ResponseReason?.ToString() ?? "no answer"}");
        }

        if (cssm.Count > 1)
        {
            Add(LicenseFindingType.Duplicate, LicenseFindingSeverity.Warning, intended?.SmartAccountDomain ?? cssm[0].SmartAccountDomain, intended?.VirtualAccount ?? cssm[0].VirtualAccount,
                $"CSSM lists cluster {clusterName} {cssm.Count} times: in {string.Join(", ", cssm.Select(i => i.VirtualAccount))}");
        }

        var registered = cluster?.Registered == true;
        if (intended is null)
        {
            if (registered || cssm.Count > 0)
            {
                var (domain, va) = registered ? (cluster!.SmartAccountDomain, cluster.VirtualAccount) : (cssm[0].SmartAccountDomain, cssm[0].VirtualAccount);
                Add(LicenseFindingType.RegisteredOutOfBand, LicenseFindingSeverity.Warning, domain, va,
                    $"Cluster {clusterName} is registered in {va} ({(registered ? "it says so" : "CSSM lists it")}) but was never assigned there");
            }
        }
        else
        {
            var elsewhereByCluster = registered && !Same(cluster!.SmartAccountDomain, cluster.VirtualAccount, intended);
            var elsewhereByCssm = cssm.Count > 0 && !cssm.Any(i => Same(i.SmartAccountDomain, i.VirtualAccount, intended));
            var unregistered = cluster is { Known: true } && cluster.RegistrationState is UcRegistrationState.Unregistered or UcRegistrationState.Failed;
            if (elsewhereByCluster || elsewhereByCssm)
            {
                var observed = elsewhereByCluster ? cluster!.VirtualAccount : cssm.First(i => !Same(i.SmartAccountDomain, i.VirtualAccount, intended)).VirtualAccount;
                Add(LicenseFindingType.WrongVirtualAccount, LicenseFindingSeverity.Critical, intended.SmartAccountDomain, intended.VirtualAccount,
                    $"Cluster {clusterName} is assigned to {intended.VirtualAccount} but registered in {observed} ({(elsewhereByCluster ? "it says so" : "CSSM lists it there")})");
            }
            else if (unregistered || cssm.Count == 0)
            {
                Add(LicenseFindingType.LostRegistration, LicenseFindingSeverity.Critical, intended.SmartAccountDomain, intended.VirtualAccount,
                    $"Cluster {clusterName} is assigned to {intended.VirtualAccount} but {(unregistered ? $"is {cluster!.RegistrationState}" : "CSSM lists no instance of it")}");
            }
        }

        if (staleBefore is { } before && cssm.Where(i => i.LastContactAt < before).MinBy(i => i.LastContactAt) is { } quiet)
        {
            Add(LicenseFindingType.Stale, LicenseFindingSeverity.Warning, quiet.SmartAccountDomain, quiet.VirtualAccount,
                $"Cluster {clusterName} has not contacted CSSM since {quiet.LastContactAt:u} (its instance in {quiet.VirtualAccount})");
        }

        if (registered && cluster!.AuthorizationState is UcAuthorizationState.AuthorizationExpired or UcAuthorizationState.OutOfCompliance)
        {
            Add(LicenseFindingType.AuthorizationExpired, LicenseFindingSeverity.Critical, cluster.SmartAccountDomain, cluster.VirtualAccount,
                $"Cluster {clusterName} reports authorization {cluster.AuthorizationState}");
        }

        return findings;
    }

    private static bool Same(string? domain, string? virtualAccount, IntendedView intended) =>
        string.Equals(domain, intended.SmartAccountDomain, StringComparison.OrdinalIgnoreCase)
        && string.Equals(virtualAccount, intended.VirtualAccount, StringComparison.OrdinalIgnoreCase);
}
