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
            // Past the deadline, the read always answers: chpaTimedOut unless the cluster shows how it ended.
            var answer = (await RegistrationVerdict.ReadAsync(wait, clusters, uc, Clock.GetUtcNow(), cancellationToken)).Answer!;
            if (await waits.FinishAsync(wait, answer, cancellationToken))
            {
                Logger.LogWarning("RegisterCluster {ClusterName}: {Code} {Reason} by the sweeper; its polls had stopped", wait.ClusterName, answer.ResponseCode, answer.ResponseReason);
            }
        }
    }
}
