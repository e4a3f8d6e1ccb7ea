using HcsLicensing.Chpa.Data;
using HcsLicensing.Chpa.Inventory;
using HcsLicensing.Chpa.UcApplications;
using HcsLicensing.Contracts.Chpa;
using HcsLicensing.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HcsLicensing.Chpa.Registration;

/// <summary>
/// The safety net under the chain of polls: a wait still there well past its deadline lost its polls, so nobody else
/// will answer it. Before judging, the sweeper reads the cluster once more, as a poll would: a cluster that registered
/// meanwhile is a PASS, whatever polls were lost; only one that did not is answered chpaTimedOut. It answers through the
/// same <see cref="RegistrationWaits.FinishAsync"/> the polls use, so a poll that is merely late finds it answered.
/// </summary>
public sealed class RegistrationWaitSweeper(
    IServiceScopeFactory scopes,
    IOptions<RegistrationOptions> options,
    TimeProvider clock,
    ILogger<RegistrationWaitSweeper> logger) : RecurringWork(clock, logger)
{
    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override string Work => "Registration wait sweep";

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        // Several poll intervals of grace: a poll due at the deadline answers it itself.
        var cutoff = Clock.GetUtcNow() - (4 * options.Value.PollInterval) - TimeSpan.FromSeconds(5);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChpaDbContext>();
        var waits = scope.ServiceProvider.GetRequiredService<RegistrationWaits>();
        var orphans = await db.RegistrationWaits.AsNoTracking().Where(w => w.Deadline < cutoff).OrderBy(w => w.Deadline).Take(100).ToListAsync(cancellationToken);
        var clusters = scope.ServiceProvider.GetRequiredService<ClusterDirectory>();
        var uc = scope.ServiceProvider.GetRequiredService<IUcApplicationClient>();
        foreach (var wait in orphans)
        {
            var answer = await JudgeAsync(wait, clusters, uc, cancellationToken);
            if (await waits.FinishAsync(wait, answer, cancellationToken))
            {
                Logger.LogWarning("RegisterCluster {ClusterName}: {Code} {Reason} by the sweeper; its polls had stopped", wait.ClusterName, answer.ResponseCode, answer.ResponseReason);
            }
        }
    }

    /// <summary>The cluster's state now, as the last poll would have judged it; chpaTimedOut when it cannot be read.</summary>
    private async Task<RegisterClusterResponse> JudgeAsync(RegistrationWait wait, ClusterDirectory clusters, IUcApplicationClient uc, CancellationToken cancellationToken)
    {
        if (await clusters.FindAsync(wait.ClusterName, cancellationToken) is { } target)
        {
            var status = await uc.GetStatusAsync(target, cancellationToken);
            if (status.IsOk)
            {
                // As a poll does: the inventory (Cluster Summary) shows where the cluster now is.
                await clusters.RecordStatusAsync(wait.ClusterName, status.Value!, cancellationToken);
            }

            if (RegistrationVerdict.Decide(wait, status, Clock.GetUtcNow()).Answer is { } verdict)
            {
                return verdict;
            }
        }

        return new RegisterClusterResponse
        {
            ClusterName = wait.ClusterName,
            SessionId = wait.SessionId,
            ResponseCode = ChpaResponseCode.FAIL,
            ResponseReason = ChpaResponseReason.chpaTimedOut,
            ResponseDescription = $"the registration was not confirmed by {wait.Deadline:O}; last seen: {wait.LastSeen ?? "nothing"}",
        };
    }
}
