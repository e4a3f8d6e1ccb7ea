using HcsLicensing.Chpa.Inventory;
using HcsLicensing.Chpa.UcApplications;
using HcsLicensing.Contracts.Chpa;
using MassTransit;

namespace HcsLicensing.Chpa.LicensingRequests;

/// <summary>Cluster UnAssignment: the cluster leaves CSSM. A cluster that is not registered is left alone (Changed false).</summary>
public sealed class DeregisterClusterConsumer(ClusterDirectory clusters, IUcApplicationClient uc, UnreachablePublisherWait unreachable, ILogger<DeregisterClusterConsumer> logger) : IConsumer<DeregisterClusterRequest>
{
    public async Task Consume(ConsumeContext<DeregisterClusterRequest> context)
    {
        var response = await DeregisterAsync(context.Message, context.CancellationToken);
        if (response.ResponseReason == ChpaResponseReason.chpaClusterUnreachable
            && await unreachable.TryAgainLaterAsync(context, "DeregisterCluster", response.ClusterName, response.ResponseDescription))
        {
            return;
        }

        ChpaLog.Answered(logger, "DeregisterCluster", response.ClusterName, response.ResponseCode, response.ResponseReason, response.ResponseDescription);
        await context.RespondAsync(response);
    }

    private async Task<DeregisterClusterResponse> DeregisterAsync(DeregisterClusterRequest request, CancellationToken cancellationToken)
    {
        var answer = new DeregisterClusterResponse
        {
            ClusterName = request.ClusterName,
            SessionId = request.SessionId,
            ResponseCode = ChpaResponseCode.FAIL,
            ResponseReason = ChpaResponseReason.chpaUnknownCluster,
            ResponseDescription = ChpaReasons.UnknownCluster(request.ClusterName),
        };
        if (await clusters.FindAsync(request.ClusterName, cancellationToken) is not { } target)
        {
            return answer;
        }

        var status = await uc.GetStatusAsync(target, cancellationToken);
        if (!status.IsOk)
        {
            return answer with { ResponseReason = ChpaReasons.For(status.Failure), ResponseDescription = status.Detail };
        }

        if (status.Value!.RegistrationState == UcRegistrationState.Unregistered)
        {
            await clusters.RecordStatusAsync(request.ClusterName, status.Value, cancellationToken);
            return Passed(answer, status.Value, changed: false);
        }

        var after = await uc.DeregisterAsync(target, cancellationToken);
        if (!after.IsOk)
        {
            return answer with { ResponseReason = ChpaReasons.For(after.Failure), ResponseDescription = after.Detail, RegistrationState = status.Value.RegistrationState };
        }

        await clusters.RecordStatusAsync(request.ClusterName, after.Value!, cancellationToken);
        return Passed(answer, after.Value!, changed: true);
    }

    private static DeregisterClusterResponse Passed(DeregisterClusterResponse answer, UcLicensingStatus now, bool changed) => answer with
    {
        ResponseCode = ChpaResponseCode.PASS,
        ResponseReason = ChpaResponseReason.chpaNoError,
        ResponseDescription = changed ? "deregistered from CSSM" : "not registered",
        RegistrationState = now.RegistrationState,
        Changed = changed,
    };
}
