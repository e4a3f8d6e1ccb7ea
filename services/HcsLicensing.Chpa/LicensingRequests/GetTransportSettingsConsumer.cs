using HcsLicensing.Chpa.Inventory;
using HcsLicensing.Chpa.UcApplications;
using HcsLicensing.Contracts.Chpa;
using MassTransit;

namespace HcsLicensing.Chpa.LicensingRequests;

/// <summary>GetTransportSettingsRequest as in HCM-F's log: the cluster's transport mode, url, ipAddress and port.</summary>
public sealed class GetTransportSettingsConsumer(ClusterDirectory clusters, IUcApplicationClient uc, UnreachablePublisherWait unreachable, ILogger<GetTransportSettingsConsumer> logger) : IConsumer<GetTransportSettingsRequest>
{
    public async Task Consume(ConsumeContext<GetTransportSettingsRequest> context)
    {
        var request = context.Message;
        var response = await ReadAsync(request, context.CancellationToken);
        if (response.ResponseReason == ChpaResponseReason.chpaClusterUnreachable
            && await unreachable.TryAgainLaterAsync(context, "GetTransportSettings", response.ClusterName, response.ResponseDescription))
        {
            return;
        }

        ChpaLog.Answered(logger, "GetTransportSettings", response.ClusterName, response.ResponseCode, response.ResponseReason, response.ResponseDescription);
        await context.RespondAsync(response);
    }

    private async Task<GetTransportSettingsResponse> ReadAsync(GetTransportSettingsRequest request, CancellationToken cancellationToken)
    {
        var answer = new GetTransportSettingsResponse
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

        var transport = await uc.GetTransportAsync(target, cancellationToken);
        if (!transport.IsOk)
        {
            return answer with { ResponseReason = ChpaReasons.For(transport.Failure), ResponseDescription = transport.Detail };
        }

        var settings = transport.Value!;
        return answer with
        {
            ResponseCode = ChpaResponseCode.PASS,
            ResponseReason = ChpaResponseReason.chpaNoError,
            ResponseDescription = null,
            Mode = settings.Mode,
            Url = settings.Url ?? "",
            IpAddress = settings.Host ?? "",
            Port = settings.Port,
        };
    }
}
