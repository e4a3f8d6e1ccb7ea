using System.Text.Json;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.LicenseAudit;

namespace HcsLicensing.ClusterAssign.LicenseAudit;

/// <summary>
/// A repair: the ordinary cluster operation that makes the three views agree again; <see cref="ReRegister"/> a
/// Reassignment that deregisters and registers even though the cluster reports the target VA already.
/// </summary>
public sealed record LicenseRepair(ClusterOperationType Operation, string SmartAccountDomain, string VirtualAccount, string Description, bool ReRegister = false);

/// <summary>Which operation repairs which finding (docs/audit.md); none repairs itself: an operator asks for it.</summary>
public static class LicenseRepairs
{
    public static LicenseRepair? For(LicenseFinding finding) =>
        (finding.Type, finding.SmartAccountDomain, finding.VirtualAccount) switch
        {
            (_, null, _) or (_, _, null) => null,
            // Only CSSM moved it (its portal): the cluster believes it is in the assigned VA, so a plain Reassignment would
            // find it "already there". Registering it again there makes CSSM list it in that VA again.
            (LicenseFindingType.WrongVirtualAccount, { } domain, { } va) when ClusterReports(finding, domain, va) =>
                new(ClusterOperationType.Reassignment, domain, va, $"Register {finding.ClusterName} again in {va}, the virtual account it is assigned to and says it is in (CSSM lists it elsewhere)", ReRegister: true),
            (LicenseFindingType.WrongVirtualAccount, { } domain, { } va) =>
                new(ClusterOperationType.Reassignment, domain, va, $"Reassign {finding.ClusterName} to {va}, the virtual account it is assigned to"),
            (LicenseFindingType.LostRegistration, { } domain, { } va) =>
                new(ClusterOperationType.Assignment, domain, va, $"Register {finding.ClusterName} again in {va}, the virtual account it is assigned to"),
            (LicenseFindingType.RegisteredOutOfBand, { } domain, { } va) =>
                new(ClusterOperationType.Assignment, domain, va, $"Adopt {va} as {finding.ClusterName}'s assigned virtual account (an assignment there)"),
            _ => null,
        };

    /// <summary>The cluster's own view, as the finding's last audit read it, is registered in that VA.</summary>
    private static bool ClusterReports(LicenseFinding finding, string domain, string va)
    {
        var cluster = JsonSerializer.Deserialize<LicenseEvidence>(finding.Evidence, LicenseFindingStore.EvidenceJson)?.Cluster;
        return cluster is { Registered: true }
            && string.Equals(cluster.SmartAccountDomain, domain, StringComparison.OrdinalIgnoreCase)
            && string.Equals(cluster.VirtualAccount, va, StringComparison.OrdinalIgnoreCase);
    }

    public static string NoRepair(LicenseFinding finding) => finding.Type switch
    {
        LicenseFindingType.Duplicate => "CSSM offers no call to remove a product instance: remove the extra instance in CSSM's portal, then run another license audit",
        LicenseFindingType.AuthorizationExpired => "renew the cluster's authorization on the cluster, or buy the licenses its virtual account is short of",
        LicenseFindingType.Stale => "check the cluster's transport settings towards CSSM and renew its authorization on the cluster; the next audit closes it once CSSM hears from it",
        LicenseFindingType.Unreachable => "check the cluster's publisher address and credentials in CHPA's inventory and the network to it",
        _ => "the finding names no virtual account to repair towards",
    };
}
