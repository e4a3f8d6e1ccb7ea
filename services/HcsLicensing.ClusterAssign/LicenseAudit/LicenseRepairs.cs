using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.LicenseAudit;

namespace HcsLicensing.ClusterAssign.LicenseAudit;

/// <summary>A repair: the ordinary cluster operation that makes the three views agree again.</summary>
public sealed record LicenseRepair(ClusterOperationType Operation, string SmartAccountDomain, string VirtualAccount, string Description);

/// <summary>Which operation repairs which finding (docs/audit.md); none repairs itself: an operator asks for it.</summary>
public static class LicenseRepairs
{
    public static LicenseRepair? For(LicenseFinding finding) =>
        (finding.Type, finding.SmartAccountDomain, finding.VirtualAccount) switch
        {
            (_, null, _) or (_, _, null) => null,
            (LicenseFindingType.WrongVirtualAccount, { } domain, { } va) =>
                new(ClusterOperationType.Reassignment, domain, va, $"Reassign {finding.ClusterName} to {va}, the virtual account it is assigned to"),
            (LicenseFindingType.LostRegistration, { } domain, { } va) =>
                new(ClusterOperationType.Assignment, domain, va, $"Register {finding.ClusterName} again in {va}, the virtual account it is assigned to"),
            (LicenseFindingType.RegisteredOutOfBand, { } domain, { } va) =>
                new(ClusterOperationType.Assignment, domain, va, $"Adopt {va} as {finding.ClusterName}'s assigned virtual account (an assignment there)"),
            _ => null,
        };

    public static string NoRepair(LicenseFinding finding) => finding.Type switch
    {
        LicenseFindingType.Duplicate => "CSSM offers no call to remove a product instance: remove the extra instance in CSSM's portal, then run another license audit",
        LicenseFindingType.AuthorizationExpired => "renew the cluster's authorization on the cluster, or buy the licenses its virtual account is short of",
        LicenseFindingType.Stale => "check the cluster's transport settings towards CSSM and renew its authorization on the cluster; the next audit closes it once CSSM hears from it",
        LicenseFindingType.Unreachable => "check the cluster's publisher address and credentials in CHPA's inventory and the network to it",
        _ => "the finding names no virtual account to repair towards",
    };
}
