using System.Text.Json;
using System.Text.Json.Serialization;
using HcsLicensing.ClusterAssign.Data;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.Contracts.LicenseAudit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HcsLicensing.ClusterAssign.LicenseAudit;

/// <summary>
/// Matches an audit's findings with the open ones and ends the audit, in one transaction: a finding seen again keeps its
/// id and first-seen time and takes the new evidence; a new one is opened (and announced with LicenseDriftDetected); an
/// open one this audit did not see is closed, unless its cluster was left out (an operation was running on it). The run,
/// the Compare step's Pass, JobSucceeded and LicenseAuditCompleted commit with them, and so do the repairs the policy
/// (LicenseAudit:AutoRepair) starts for the findings it names.
/// </summary>
public sealed class LicenseFindingStore(
    ClusterAssignDbContext db, LicenseAuditJobEvents jobEvents, LicenseRepairStarter repairs, LicenseAuditMetrics metrics, IOptions<LicenseAuditOptions> options, TimeProvider clock)
{
    public static readonly JsonSerializerOptions EvidenceJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public async Task<LicenseAuditOutcome> StoreAsync(
        LicenseAuditRun run, IReadOnlyList<ObservedFinding> observed, int clusters, IReadOnlySet<string> leftOut, CancellationToken cancellationToken, string? warning = null)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var open = await db.LicenseFindings.Where(f => f.Status == LicenseFinding.Open).ToListAsync(cancellationToken);
        var byKey = open.ToDictionary(f => Key(f.ClusterName, f.Type));
        var seen = new HashSet<(string, LicenseFindingType)>();
        var opened = new List<LicenseFinding>();
        foreach (var found in observed)
        {
            var key = Key(found.ClusterName, found.Type);
            if (!seen.Add(key))
            {
                continue;
            }

            if (!byKey.TryGetValue(key, out var finding))
            {
                finding = new LicenseFinding { Id = Guid.CreateVersion7(), Type = found.Type, ClusterName = found.ClusterName, FirstSeenAt = now, FirstAuditId = run.Id };
                db.LicenseFindings.Add(finding);
                opened.Add(finding);
            }

            finding.Severity = found.Severity;
            finding.SmartAccountDomain = found.SmartAccountDomain;
            finding.VirtualAccount = found.VirtualAccount;
            finding.Summary = found.Summary;
            finding.Evidence = JsonSerializer.Serialize(found.Evidence, EvidenceJson);
            finding.LastSeenAt = now;
            finding.LastAuditId = run.Id;
        }

        var policy = options.Value.AutoRepair;
        foreach (var finding in byKey.Values.Where(f => f.LastAuditId == run.Id).Concat(opened).Where(f => policy.Contains(f.Type)))
        {
            await repairs.StartAsync(finding, "License audit policy", cancellationToken);
        }

        var closed = open.Where(f => !seen.Contains(Key(f.ClusterName, f.Type)) && !leftOut.Contains(f.ClusterName)).ToList();
        foreach (var finding in closed)
        {
            finding.Status = LicenseFinding.Closed;
            finding.ClosedAt = now;
        }

        var stillOpen = open.Count - closed.Count + opened.Count;
        run.Status = LicenseAuditRun.Succeeded;
        run.CompletedAt = now;
        run.HeartbeatAt = now;
        run.Clusters = clusters;
        run.NewFindings = opened.Count;
        run.ClosedFindings = closed.Count;
        run.OpenFindings = stillOpen;

        foreach (var finding in opened)
        {
            await jobEvents.AddAsync(run.Id, new LicenseDriftDetected
            {
                FindingId = finding.Id, AuditId = run.Id, Type = finding.Type, Severity = finding.Severity, ClusterName = finding.ClusterName,
                SmartAccountDomain = finding.SmartAccountDomain, VirtualAccount = finding.VirtualAccount, Summary = finding.Summary, FirstSeenAt = now,
            }, cancellationToken);
        }

        await jobEvents.AddAsync(run.Id, new LicenseAuditCompleted
        {
            AuditId = run.Id, Clusters = clusters, OpenFindings = stillOpen, NewFindings = opened.Count, ClosedFindings = closed.Count, CompletedAt = now,
        }, cancellationToken);
        var detail = $"{stillOpen} findings open: {opened.Count} new, {closed.Count} closed{warning}";
        await jobEvents.AddAsync(run.Id, new JobStepChanged { JobId = run.Id, Step = LicenseAuditJobEvents.Compare, Status = JobStepStatus.Pass, Detail = detail, OccurredAt = now }, cancellationToken);
        await jobEvents.SucceededAsync(run.Id, $"License audit of {clusters} clusters completed: {detail}", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await metrics.RefreshAsync(db, cancellationToken);
        return new LicenseAuditOutcome(stillOpen, opened.Count, closed.Count);
    }

    private static (string, LicenseFindingType) Key(string clusterName, LicenseFindingType type) => (clusterName.ToUpperInvariant(), type);
}

/// <summary>What an audit left: findings open, opened and closed by it.</summary>
public sealed record LicenseAuditOutcome(int Open, int New, int Closed);
