using System.Collections.Concurrent;
using HcsLicensing.ClusterAssign.Data;
using HcsLicensing.ClusterAssign.Operations;
using HcsLicensing.Contracts.Chpa;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.Contracts.SmartAccounts;
using HcsLicensing.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HcsLicensing.ClusterAssign.LicenseAudit;

/// <summary>
/// Runs one claimed license audit as a job: Read assignments (this service's Cluster Summary), Read CSSM
/// (SmartAccountSync's ListProductInstancesRequest: it holds the CSSM credentials), Verify clusters (CHPA's
/// VerifyClusterRequest, LicenseAudit:VerifyConcurrency at a time), Compare (<see cref="LicenseDriftRules"/>, then the
/// findings stored in one transaction with the job's end and the audit's messages).
/// </summary>
public sealed class LicenseAuditRunner(
    ClusterAssignDbContext db,
    LicenseAuditJobEvents jobEvents,
    LicenseFindingStore findings,
    IClientFactory clients,
    EndpointAddresses addresses,
    IOptions<LicenseAuditOptions> options,
    TimeProvider clock,
    ILogger<LicenseAuditRunner> logger)
{
    /// <summary>SmartAccountSync's queue for <see cref="ListProductInstancesRequest"/> (its consumer's name).</summary>
    public const string ProductInstancesQueue = "list-product-instances";

    /// <summary>CHPA's queue for the license audit's verifications (its ChpaEndpoint.LicenseAuditName).</summary>
    public const string ChpaLicenseAuditQueue = "chpa-license-audit";

    public async Task RunAsync(Guid auditId, CancellationToken cancellationToken)
    {
        var run = await db.LicenseAuditRuns.SingleOrDefaultAsync(r => r.Id == auditId, cancellationToken);
        if (run is null || run.Status != LicenseAuditRun.Running)
        {
            logger.LogInformation("License audit {AuditId} is {Status}: nothing to run", auditId, run?.Status ?? "unknown");
            return;
        }

        var step = LicenseAuditJobEvents.ReadAssignments;
        try
        {
            await BeginAsync(run, step, cancellationToken);
            var rows = await db.ClusterOperations.AsNoTracking()
                .Select(c => new { c.ClusterName, c.SmartAccountDomain, c.VirtualAccountName, Jobs = new JobMarks(c.Phase, c.JobId, c.LastJobId) })
                .ToListAsync(cancellationToken);
            var jobsThen = rows.ToDictionary(r => r.ClusterName, r => r.Jobs, StringComparer.OrdinalIgnoreCase);
            var intended = rows.ToDictionary(
                r => r.ClusterName,
                r => r.SmartAccountDomain is { } domain && r.VirtualAccountName is { } va ? new IntendedView(domain, va) : null,
                StringComparer.OrdinalIgnoreCase);
            // A cluster with an operation running is changing on purpose: it is left out, and its findings left as they are.
            var busy = rows.Where(r => r.Jobs.Phase is not (OperationPhase.Idle or OperationPhase.Failed)).Select(r => r.ClusterName).ToHashSet(StringComparer.OrdinalIgnoreCase);
            await jobEvents.StepAsync(auditId, step, JobStepStatus.Pass, $"{rows.Count} clusters known, {intended.Values.Count(i => i is not null)} assigned, {busy.Count} busy", cancellationToken);

            step = LicenseAuditJobEvents.ReadCssm;
            await BeginAsync(run, step, cancellationToken);
            var listed = await ReadCssmAsync(cancellationToken);
            var unread = string.Join("; ", listed.Failures.Select(f => $"{f.SmartAccountDomain}: {f.Detail}"));
            if (listed.Failures.Count > 0 && listed.SmartAccountDomains.Count == 0)
            {
                // Nothing read: every assignment would look lost.
                throw new LicenseAuditFailedException(
                    $"CSSM's product instances could not be read: {unread}",
                    "Check the smart account's credentials and transport settings in SmartAccountSync, then start another license audit");
            }

            // A smart account CSSM could not read has an unknown view, not an empty one: its clusters are not compared
            // (no finding made, refreshed or closed for them) and the others are.
            var unreadable = listed.Failures.Select(f => f.SmartAccountDomain).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var notCompared = intended.Where(pair => pair.Value is { } view && unreadable.Contains(view.SmartAccountDomain)).Select(pair => pair.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);

            var cssm = listed.ProductInstances
                .GroupBy(i => i.ProductInstanceName, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<CssmInstanceView>)[.. g.Select(i => new CssmInstanceView(i.SmartAccountDomain, i.VirtualAccount, i.ProductInstanceId, i.LastContactAt))], StringComparer.OrdinalIgnoreCase);
            await jobEvents.StepAsync(auditId, step, JobStepStatus.Pass,
                $"{listed.ProductInstances.Count} product instances in {listed.SmartAccountDomains.Count} smart accounts" +
                (unreadable.Count > 0 ? $"; WARNING: not read, their clusters not compared: {unread}" : ""),
                cancellationToken);

            step = LicenseAuditJobEvents.VerifyClusters;
            await BeginAsync(run, step, cancellationToken);
            var names = intended.Keys.Concat(cssm.Keys).Distinct(StringComparer.OrdinalIgnoreCase)
                .Where(n => !busy.Contains(n) && !notCompared.Contains(n)).Order(StringComparer.OrdinalIgnoreCase).ToList();
            var views = await VerifyAsync(run.Id, names, cancellationToken);
            // A cluster that says it is registered in an unreadable smart account: CSSM's side of it is unknown too.
            notCompared.UnionWith(names.Where(n => views[n] is { Known: true, SmartAccountDomain: { } domain } && unreadable.Contains(domain)));
            names = [.. names.Where(n => !notCompared.Contains(n))];
            await jobEvents.StepAsync(auditId, step, JobStepStatus.Pass,
                $"{views.Count} clusters verified, {views.Values.Count(v => !v.Known && !v.NotInInventory)} could not be, {views.Values.Count(v => v.NotInInventory)} not in CHPA's inventory", cancellationToken);

            step = LicenseAuditJobEvents.Compare;
            await BeginAsync(run, step, cancellationToken);
            // A cluster whose operation started or ended after Read assignments has views from different moments: one
            // assigned meanwhile is registered when CSSM is read but was not intended yet, and would look registered
            // out of band. It changed on purpose, so it is left out as a busy one is.
            var changed = await ChangedSinceAsync(jobsThen, names, cancellationToken);
            busy.UnionWith(changed);
            names = [.. names.Where(n => !changed.Contains(n))];
            var staleBefore = clock.GetUtcNow() - options.Value.StaleContactAfter;
            var observed = names
                .SelectMany(name => LicenseDriftRules.Compare(name, new LicenseEvidence(intended.GetValueOrDefault(name), cssm.GetValueOrDefault(name) ?? [], views[name]), staleBefore))
                .ToList();
            var leftOut = busy.Union(notCompared, StringComparer.OrdinalIgnoreCase).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var warning = (changed.Count > 0 ? $"; {changed.Count} clusters not compared: a job changed them during the audit" : "")
                + (unreadable.Count > 0 ? $"; WARNING: {notCompared.Count} clusters not compared, CSSM could not read {string.Join(", ", unreadable.Order())}" : "");
            var outcome = await findings.StoreAsync(run, observed, names.Count, leftOut, cancellationToken, warning);
            logger.LogInformation("License audit {AuditId}: {Clusters} clusters, {Open} findings open ({New} new, {Closed} closed)", auditId, names.Count, outcome.Open, outcome.New, outcome.Closed);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var (error, action) = exception is LicenseAuditFailedException failure
                ? (failure.Message, failure.RecommendedAction)
                : (exception is RequestTimeoutException ? $"SmartAccountSync did not answer within {options.Value.CssmTimeout}" : exception.Message, "Start another license audit; if it fails again, see the ClusterAssign log");
            logger.LogWarning("License audit {AuditId} failed at {Step}: {Error}", auditId, step, error);
            db.ChangeTracker.Clear();
            await db.LicenseAuditRuns.Where(r => r.Id == auditId && r.Status == LicenseAuditRun.Running).ExecuteUpdateAsync(
                set => set.SetProperty(r => r.Status, LicenseAuditRun.Failed).SetProperty(r => r.CompletedAt, clock.GetUtcNow()).SetProperty(r => r.Error, error),
                CancellationToken.None);
            await jobEvents.StepAsync(auditId, step, JobStepStatus.Fail, error, CancellationToken.None);
            await jobEvents.FailedAsync(auditId, step, error, action, CancellationToken.None);
            await db.SaveChangesAsync(CancellationToken.None);
        }
    }

    /// <summary>The clusters of <paramref name="names"/> whose job marks are not what Read assignments saw.</summary>
    private async Task<HashSet<string>> ChangedSinceAsync(Dictionary<string, JobMarks> then, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var now = await db.ClusterOperations.AsNoTracking()
            .Select(c => new { c.ClusterName, Jobs = new JobMarks(c.Phase, c.JobId, c.LastJobId) })
            .ToDictionaryAsync(c => c.ClusterName, c => c.Jobs, StringComparer.OrdinalIgnoreCase, cancellationToken);
        return names.Where(n => now.GetValueOrDefault(n) != then.GetValueOrDefault(n)).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>What changes when a cluster's operation starts or ends.</summary>
    private sealed record JobMarks(OperationPhase Phase, Guid? JobId, Guid? LastJobId);

    /// <summary>The step's Inprogress and the run's heartbeat, in one commit.</summary>
    private async Task BeginAsync(LicenseAuditRun run, string step, CancellationToken cancellationToken)
    {
        run.HeartbeatAt = clock.GetUtcNow();
        await jobEvents.StepAsync(run.Id, step, JobStepStatus.Inprogress, null, cancellationToken);
    }

    private async Task<ProductInstancesListed> ReadCssmAsync(CancellationToken cancellationToken)
    {
        var client = clients.CreateRequestClient<ListProductInstancesRequest>(addresses.Queue(ProductInstancesQueue), RequestTimeout.After(ms: (int)options.Value.CssmTimeout.TotalMilliseconds));
        var answer = await client.GetResponse<ProductInstancesListed>(new ListProductInstancesRequest(), cancellationToken);
        return answer.Message;
    }

    /// <summary>Each cluster's own view through CHPA, a bounded number at a time; no answer in time counts as unreachable.</summary>
    private async Task<IReadOnlyDictionary<string, ClusterView>> VerifyAsync(Guid auditId, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var timeout = options.Value.VerifyTimeout;
        // Thousands of verifications take minutes: the run's heartbeat moves on meanwhile (at most once a minute), so that
        // no claim takes a long Verify clusters for an abandoned audit.
        using var beat = new SemaphoreSlim(1);
        var lastBeat = clock.GetUtcNow();
        // CHPA's license audit lane, not its "chpa" queue: assignments' requests must not wait behind thousands of these.
        var client = clients.CreateRequestClient<VerifyClusterRequest>(addresses.Queue(ChpaLicenseAuditQueue), RequestTimeout.After(ms: (int)timeout.TotalMilliseconds));
        var views = new ConcurrentDictionary<string, ClusterView>(StringComparer.OrdinalIgnoreCase);
        await Parallel.ForEachAsync(
            names,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(options.Value.VerifyConcurrency, 1, 256), CancellationToken = cancellationToken },
            async (name, token) =>
            {
                try
                {
                    var answer = (await client.GetResponse<VerifyClusterResponse>(new VerifyClusterRequest { ClusterName = name, SessionId = "license-audit" }, token)).Message;
                    views[name] = new ClusterView(true, answer.ResponseReason, answer.ResponseDescription, answer.RegistrationState, answer.AuthorizationState,
                        answer.SmartAccountDomain, answer.VirtualAccount, answer.LicenseMode, answer.TransportMode);
                }
                catch (RequestTimeoutException)
                {
                    views[name] = ClusterView.NoAnswer($"CHPA did not answer within {timeout}");
                }

                if (clock.GetUtcNow() - lastBeat > TimeSpan.FromMinutes(1) && await beat.WaitAsync(0, token))
                {
                    try
                    {
                        lastBeat = clock.GetUtcNow();
                        await db.LicenseAuditRuns.Where(r => r.Id == auditId).ExecuteUpdateAsync(set => set.SetProperty(r => r.HeartbeatAt, lastBeat), token);
                    }
                    finally
                    {
                        beat.Release();
                    }
                }
            });
        return views;
    }
}

/// <summary>An audit that cannot go on, with what the operator should do.</summary>
public sealed class LicenseAuditFailedException(string message, string recommendedAction) : Exception(message)
{
    public string RecommendedAction { get; } = recommendedAction;
}
