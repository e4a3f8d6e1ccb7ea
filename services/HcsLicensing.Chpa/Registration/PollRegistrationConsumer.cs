using HcsLicensing.Chpa.Data;
using HcsLicensing.Chpa.Inventory;
using HcsLicensing.Chpa.LicensingRequests;
using HcsLicensing.Chpa.UcApplications;
using HcsLicensing.Contracts.Chpa;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.Chpa.Registration;

/// <summary>
/// One poll of a waiting registration: read the cluster's state once, then answer the original requester or schedule
/// the next poll. A poll takes one status read, so a registration of minutes holds no consumer for more than that.
/// </summary>
public sealed class PollRegistrationConsumer(
    ChpaDbContext db,
    ClusterDirectory clusters,
    IUcApplicationClient uc,
    RegistrationWaits waits,
    TimeProvider clock,
    ILogger<PollRegistrationConsumer> logger) : IConsumer<PollRegistration>
{
    public async Task Consume(ConsumeContext<PollRegistration> context)
    {
        var poll = context.Message;
        var wait = await db.RegistrationWaits.AsNoTracking().SingleOrDefaultAsync(w => w.Id == poll.WaitId, context.CancellationToken);
        if (wait is null || wait.PollToken != poll.PollToken)
        {
            // Answered already, or a duplicate/superseded poll: the current one carries the row's token.
            return;
        }

        var verdict = await RegistrationVerdict.ReadAsync(wait, clusters, uc, clock.GetUtcNow(), context.CancellationToken);
        if (verdict.Answer is { } answer)
        {
            if (await waits.FinishAsync(wait, answer, context.CancellationToken))
            {
                ChpaLog.Answered(logger, "RegisterCluster", answer.ClusterName, answer.ResponseCode, answer.ResponseReason, answer.ResponseDescription);
            }

            return;
        }

        await waits.ContinueAsync(wait, verdict.Seen, context.CancellationToken);
        logger.LogDebug("RegisterCluster {ClusterName}: poll {Poll} saw {Seen}", wait.ClusterName, wait.Polls + 1, verdict.Seen);
    }
}
