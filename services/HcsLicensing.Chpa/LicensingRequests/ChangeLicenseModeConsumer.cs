using HcsLicensing.Chpa.Inventory;
using HcsLicensing.Chpa.UcApplications;
using HcsLicensing.Contracts.Chpa;
using MassTransit;

namespace HcsLicensing.Chpa.LicensingRequests;

/// <summary>
/// HLM's License Mode Change. The mode is read first: when it already holds, nothing is written and the answer says
/// Changed false, which HLM shows as Not Applicable.
/// </summary>
public sealed class ChangeLicenseModeConsumer(ClusterDirectory clusters, IUcApplicationClient uc, UnreachablePublisherWait unreachable, ILogger<ChangeLicenseModeConsumer> logger) : IConsumer<ChangeLicenseModeRequest>
{
    public async Task Consume(ConsumeContext<ChangeLicenseModeRequest> context)
    {
        var response = await ChangeAsync(context.Message, context.CancellationToken);
        if (response.ResponseReason == ChpaResponseReason.chpaClusterUnreachable
            && await unreachable.TryAgainLaterAsync(context, "ChangeLicenseMode", response.ClusterName, response.ResponseDescription))
        {
            return;
        }

        ChpaLog.Answered(logger, "ChangeLicenseMode", response.ClusterName, response.ResponseCode, response.ResponseReason, response.ResponseDescription);
        await context.RespondAsync(response);
    }

    private async Task<ChangeLicenseModeResponse> ChangeAsync(ChangeLicenseModeRequest request, CancellationToken cancellationToken)
    {
        var answer = new ChangeLicenseModeResponse
        {
            ClusterName = request.ClusterName,
            SessionId = request.SessionId,
            ResponseCode = ChpaResponseCode.FAIL,
            ResponseReason = ChpaResponseReason.chpaUnknownCluster,
            ResponseDescription = ChpaReasons.UnknownCluster(request.ClusterName),
        };
        if (!Enum.IsDefined(request.LicenseMode))
        {
            return answer with { ResponseReason = ChpaResponseReason.chpaInvalidRequest, ResponseDescription = "licenseMode must be Enterprise or HCS" };
        }

        if (await clusters.FindAsync(request.ClusterName, cancellationToken) is not { } target)
        {
            return answer;
        }

        var current = await uc.GetLicenseModeAsync(target, cancellationToken);
        if (!current.IsOk)
        {
            return answer with { ResponseReason = ChpaReasons.For(current.Failure), ResponseDescription = current.Detail };
        }

        if (current.Value == request.LicenseMode)
        {
            return Passed(answer, current.Value, current.Value, changed: false);
        }

        var changed = await uc.SetLicenseModeAsync(target, request.LicenseMode, cancellationToken);
        return changed.IsOk
            ? Passed(answer, changed.Value!.PreviousLicenseMode, changed.Value.LicenseMode, changed: true)
            : answer with { ResponseReason = ChpaReasons.For(changed.Failure), ResponseDescription = changed.Detail, PreviousLicenseMode = current.Value };
    }

    private static ChangeLicenseModeResponse Passed(ChangeLicenseModeResponse answer, UcLicenseMode before, UcLicenseMode now, bool changed) => answer with
    {
        ResponseCode = ChpaResponseCode.PASS,
        ResponseReason = ChpaResponseReason.chpaNoError,
        ResponseDescription = changed ? $"license mode changed from {before} to {now}" : $"license mode already {now}",
        PreviousLicenseMode = before,
        LicenseMode = now,
        Changed = changed,
    };
}
