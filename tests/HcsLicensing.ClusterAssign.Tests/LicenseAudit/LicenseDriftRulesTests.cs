using HcsLicensing.ClusterAssign.LicenseAudit;
using HcsLicensing.Contracts.Chpa;
using HcsLicensing.Contracts.LicenseAudit;

namespace HcsLicensing.ClusterAssign.Tests.LicenseAudit;

/// <summary>The comparison of the three views, one rule at a time, without a bus.</summary>
public class LicenseDriftRulesTests
{
    private const string Domain = "hcs-demo.example.com";
    private static readonly IntendedView Assigned = new(Domain, "VA-A");

    [Test]
    public void Views_that_agree_give_no_finding() =>
        Assert.That(Compare(Assigned, [InCssm("VA-A")], Registered("VA-A")), Is.Empty);

    [Test]
    public void A_cluster_never_assigned_and_not_registered_gives_no_finding() =>
        Assert.That(Compare(null, [], Unregistered()), Is.Empty);

    [Test]
    public void A_cluster_CHPA_does_not_know_and_we_never_assigned_is_not_ours() =>
        Assert.That(Compare(null, [InCssm("VA-B")], new ClusterView(true, ChpaResponseReason.chpaUnknownCluster, "unknown", null, null, null, null, null, null)), Is.Empty);

    [Test]
    public void Registered_without_an_assignment_is_out_of_band_whether_the_cluster_or_CSSM_says_so()
    {
        var byCluster = Compare(null, [], Registered("VA-B")).Single();
        var byCssm = Compare(null, [InCssm("VA-C")], Unregistered()).Single();

        Assert.Multiple(() =>
        {
            Assert.That((byCluster.Type, byCluster.Severity, byCluster.VirtualAccount), Is.EqualTo((LicenseFindingType.RegisteredOutOfBand, LicenseFindingSeverity.Warning, "VA-B")));
            Assert.That((byCssm.Type, byCssm.VirtualAccount), Is.EqualTo((LicenseFindingType.RegisteredOutOfBand, "VA-C")));
        });
    }

    [Test]
    public void Registered_elsewhere_than_assigned_is_a_wrong_VA_naming_the_assigned_one()
    {
        var byCssm = Compare(Assigned, [InCssm("VA-B")], Registered("VA-A")).Single();
        var byCluster = Compare(Assigned, [InCssm("VA-A")], Registered("va-b")).Single();

        Assert.Multiple(() =>
        {
            Assert.That((byCssm.Type, byCssm.Severity, byCssm.VirtualAccount), Is.EqualTo((LicenseFindingType.WrongVirtualAccount, LicenseFindingSeverity.Critical, "VA-A")));
            Assert.That(byCssm.Summary, Does.Contain("VA-B"));
            Assert.That(byCluster.Type, Is.EqualTo(LicenseFindingType.WrongVirtualAccount));
            Assert.That(Compare(Assigned, [InCssm("va-a")], Registered("VA-A")), Is.Empty, "names compared regardless of case");
        });
    }

    [Test]
    public void Assigned_but_unregistered_or_missing_in_CSSM_is_a_lost_registration()
    {
        var unregistered = Compare(Assigned, [], Unregistered()).Single();
        var notListed = Compare(Assigned, [], Registered("VA-A")).Single();

        Assert.Multiple(() =>
        {
            Assert.That((unregistered.Type, unregistered.Severity), Is.EqualTo((LicenseFindingType.LostRegistration, LicenseFindingSeverity.Critical)));
            Assert.That(notListed.Type, Is.EqualTo(LicenseFindingType.LostRegistration));
            Assert.That(notListed.Summary, Does.Contain("CSSM lists no instance"));
        });
    }

    [Test]
    public void Listed_twice_is_a_duplicate_and_nothing_else_when_one_is_in_the_assigned_VA()
    {
        var findings = Compare(Assigned, [InCssm("VA-A"), InCssm("VA-B")], Registered("VA-A"));

        Assert.That(findings.Select(f => f.Type), Is.EqualTo(new[] { LicenseFindingType.Duplicate }));
    }

    [Test]
    public void An_expired_authorization_and_an_unreachable_cluster_are_findings_of_their_own()
    {
        var expired = Compare(Assigned, [InCssm("VA-A")], Registered("VA-A") with { AuthorizationState = UcAuthorizationState.AuthorizationExpired }).Single();
        var unreachable = Compare(Assigned, [InCssm("VA-A")], new ClusterView(true, ChpaResponseReason.chpaClusterUnreachable, "no connection", null, null, null, null, null, null)).Single();
        var silent = Compare(Assigned, [InCssm("VA-A")], ClusterView.NoAnswer("CHPA did not answer")).Single();

        Assert.Multiple(() =>
        {
            Assert.That((expired.Type, expired.Severity), Is.EqualTo((LicenseFindingType.AuthorizationExpired, LicenseFindingSeverity.Critical)));
            Assert.That((unreachable.Type, unreachable.Severity), Is.EqualTo((LicenseFindingType.Unreachable, LicenseFindingSeverity.Warning)));
            Assert.That(silent.Type, Is.EqualTo(LicenseFindingType.Unreachable));
        });
    }

    [Test]
    public void An_instance_quiet_since_before_the_limit_is_stale_and_one_heard_from_since_is_not()
    {
        var quiet = new CssmInstanceView(Domain, "VA-A", "id-1", DateTimeOffset.UnixEpoch.AddDays(10));
        var limit = DateTimeOffset.UnixEpoch.AddDays(20);

        var stale = LicenseDriftRules.Compare("cl1-alfa", new LicenseEvidence(Assigned, [quiet], Registered("VA-A")), limit).Single();
        var recent = LicenseDriftRules.Compare("cl1-alfa", new LicenseEvidence(Assigned, [quiet with { LastContactAt = limit.AddDays(1) }], Registered("VA-A")), limit);

        Assert.Multiple(() =>
        {
            Assert.That((stale.Type, stale.Severity, stale.VirtualAccount), Is.EqualTo((LicenseFindingType.Stale, LicenseFindingSeverity.Warning, "VA-A")));
            Assert.That(recent, Is.Empty);
        });
    }

    [Test]
    public void Every_finding_keeps_the_three_views_as_evidence()
    {
        var cssm = new[] { InCssm("VA-B") };
        var cluster = Registered("VA-A");
        var finding = Compare(Assigned, cssm, cluster).Single();

        Assert.Multiple(() =>
        {
            Assert.That(finding.Evidence.Intended, Is.EqualTo(Assigned));
            Assert.That(finding.Evidence.Cssm, Is.EqualTo(cssm));
            Assert.That(finding.Evidence.Cluster, Is.EqualTo(cluster));
        });
    }

    private static IReadOnlyList<ObservedFinding> Compare(IntendedView? intended, CssmInstanceView[] cssm, ClusterView cluster) =>
        LicenseDriftRules.Compare("cl1-alfa", new LicenseEvidence(intended, cssm, cluster));

    private static CssmInstanceView InCssm(string va) => new(Domain, va, Guid.NewGuid().ToString(), DateTimeOffset.UnixEpoch);

    private static ClusterView Registered(string va) =>
        new(true, ChpaResponseReason.chpaNoError, null, UcRegistrationState.Registered, UcAuthorizationState.Authorized, Domain, va, UcLicenseMode.HCS, "Direct");

    private static ClusterView Unregistered() =>
        new(true, ChpaResponseReason.chpaNoError, null, UcRegistrationState.Unregistered, UcAuthorizationState.Eval, null, null, UcLicenseMode.Enterprise, "Direct");
}
